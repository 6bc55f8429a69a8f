package dev.winnow.kernels.scoring;

import dev.winnow.kernels.model.ModelConfig;
import java.util.List;

/**
 * A proxy language model that scores token sequences: the API shared by the CPU and GPU engines.
 *
 * <p>Get one from {@code dev.winnow.kernels.engine.ScoringEngines}, which chooses the engine,
 * backend and precision from {@code EngineOptions}.
 *
 * <p>Engines are thread-safe for {@link #score} and {@link #embed}; a {@link ScoringSession} is
 * used by one thread at a time.
 *
 * <pre>{@code
 * LoadedModel model = ModelLoader.load(dir);
 * try (ScoringEngine engine = ScoringEngines.open(model, EngineOptions.defaults())) {
 *     List<TokenLogProbs> scores = engine.score(List.of(model.requireTokenizer().encode(text)));
 * }
 * }</pre>
 */
public interface ScoringEngine extends AutoCloseable {

  /** The model's hyperparameters. */
  ModelConfig config();

  /** Most tokens one sequence (or session) may hold. */
  default int contextLength() {
    return config().contextLength();
  }

  /**
   * Scores each sequence independently, batched without padding: every sequence gets its own
   * log-probabilities exactly as if scored alone.
   *
   * @param sequences token ids, each of length 1 to {@link #contextLength()}
   */
  List<TokenLogProbs> score(List<int[]> sequences);

  /**
   * Text embeddings: the mean over positions of the last layer's hidden states (after the final
   * norm, as {@code hidden_states[-1]} in transformers), one vector of {@code hiddenSize} per
   * sequence.
   */
  List<float[]> embed(List<int[]> sequences);

  /** A new, empty incremental-scoring session with its own KV cache. */
  ScoringSession newSession();

  /**
   * {@link ScoringSession#append} on several sessions at once: result {@code i} is what {@code
   * appends.get(i).session().append(appends.get(i).tokens())} returns, and each session changes
   * exactly as by that call. An engine may run all the new tokens in one batched pass (the CPU
   * engine does, without padding, so results are bit for bit those of the single appends); the
   * default appends one after the other. The sessions must be distinct sessions of this engine, and
   * no other thread may use them during the call. The CPU engine checks every append (context
   * overflow, foreign or repeated session) before it changes any session.
   */
  default List<float[]> appendAll(List<SessionAppend> appends) {
    List<float[]> out = new java.util.ArrayList<>(appends.size());
    for (SessionAppend a : appends) {
      out.add(a.session().append(a.tokens()));
    }
    return out;
  }

  @Override
  void close();
}
