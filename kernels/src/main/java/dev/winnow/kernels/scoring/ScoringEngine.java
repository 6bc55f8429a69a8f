package dev.winnow.kernels.scoring;

import dev.winnow.kernels.model.ModelConfig;
import java.util.List;

/**
 * A proxy language model that scores token sequences: the API shared by the CPU and GPU engines.
 *
 * <p>Engines are thread-safe for {@link #score} and {@link #embed}; a {@link ScoringSession} is
 * used by one thread at a time.
 *
 * <pre>{@code
 * LoadedModel model = ModelLoader.load(dir);
 * try (ScoringEngine engine = new CpuScoringEngine(model.weights())) {
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
     * norm, as {@code hidden_states[-1]} in transformers), one vector of {@code hiddenSize} per sequence.
     */
    List<float[]> embed(List<int[]> sequences);

    /** A new, empty incremental-scoring session with its own KV cache. */
    ScoringSession newSession();

    @Override
    void close();
}
