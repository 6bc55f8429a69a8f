package dev.winnow.prompt.model;

import dev.winnow.kernels.engine.EngineOptions;
import dev.winnow.kernels.engine.ScoringEngines;
import dev.winnow.kernels.model.LoadedModel;
import dev.winnow.kernels.model.ModelLoader;
import dev.winnow.kernels.scoring.ScoringEngine;
import dev.winnow.kernels.scoring.ScoringSession;
import dev.winnow.kernels.scoring.SessionAppend;
import dev.winnow.kernels.scoring.TokenLogProbs;
import dev.winnow.kernels.tokenizer.TiktokenTokenizer;
import dev.winnow.kernels.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The small language model a prompt compressor asks: a {@link ScoringEngine} with its tokenizer,
 * plus the {@code cl100k_base} counter that LLMLingua reports token counts in (the gpt-3.5-turbo
 * encoding, whatever the small model is).
 *
 * <p>Losses follow Hugging Face's {@code CrossEntropyLoss(reduction="none")} over shifted logits:
 * {@code loss[i] = −ln p(ids[i+1] | ids[0..i])}, natural log, float32.
 *
 * <p>Whole-sequence scoring ({@link #scoreAll}, {@link #losses}, {@link #lossesAll}) goes through a
 * sequence scorer: the engine itself, or, in a {@link #withSequenceScorer view}, a shared batcher
 * that puts the sequences of concurrent callers into one engine call. Incremental sessions ({@link
 * #newSession}) append on the engine directly, or, in a {@link #withSessionAppender view}, through
 * a shared batcher that runs the appends of concurrent callers' sessions in one forward pass.
 */
public final class ProxyLm implements AutoCloseable {
  private final ScoringEngine engine;
  private final Tokenizer tokenizer;
  private final TiktokenTokenizer oai;
  private final boolean ownsEngine;
  private final Function<List<int[]>, List<TokenLogProbs>> sequenceScorer;

  /** Where session appends go; null: each session appends on the engine itself. */
  private final Function<List<SessionAppend>, List<float[]>> sessionAppender;

  /** The precision of {@link #engine}'s products. */
  private final EngineOptions.Precision precision;

  /** The fp32 model compat mode runs on when {@link #precision} is not fp32; null when it is. */
  private final CompatTwin compatTwin;

  /** A model over an fp32 {@code engine}. */
  public ProxyLm(ScoringEngine engine, Tokenizer tokenizer, boolean ownsEngine) {
    this(
        engine,
        tokenizer,
        ownsEngine,
        null,
        null,
        TiktokenTokenizer.cl100kBase(),
        EngineOptions.Precision.FP32,
        null);
  }

  private ProxyLm(
      ScoringEngine engine,
      Tokenizer tokenizer,
      boolean ownsEngine,
      Function<List<int[]>, List<TokenLogProbs>> sequenceScorer,
      Function<List<SessionAppend>, List<float[]>> sessionAppender,
      TiktokenTokenizer oai,
      EngineOptions.Precision precision,
      CompatTwin compatTwin) {
    if (tokenizer == null) {
      throw new IllegalArgumentException(
          "a prompt compressor needs the model's tokenizer (tokenizer.json)");
    }
    this.engine = engine;
    this.tokenizer = tokenizer;
    this.ownsEngine = ownsEngine;
    this.oai = oai;
    this.sequenceScorer = sequenceScorer != null ? sequenceScorer : engine::score;
    this.sessionAppender = sessionAppender;
    this.precision = precision;
    this.compatTwin = compatTwin;
  }

  /**
   * A view of this model whose whole-sequence scoring goes through {@code scorer} (which must
   * return what {@link ScoringEngine#score} returns, e.g. a batcher of calls to this model's
   * engine); tokenizer, engine and sessions are shared; closing the view closes nothing.
   */
  public ProxyLm withSequenceScorer(Function<List<int[]>, List<TokenLogProbs>> scorer) {
    if (scorer == null) {
      throw new IllegalArgumentException(
          "the sequence scorer is null; give one, e.g. engine::score");
    }
    return new ProxyLm(
        engine, tokenizer, false, scorer, sessionAppender, oai, precision, compatTwin);
  }

  /**
   * A view of this model whose sessions append through {@code appender} (which must do what {@link
   * ScoringEngine#appendAll} does, e.g. a batcher of calls to this model's engine, so that the
   * KV-cached steps of concurrent callers run in one forward pass); the sessions' caches are the
   * engine's own, and removing spans stays local. Closing the view closes nothing.
   */
  public ProxyLm withSessionAppender(Function<List<SessionAppend>, List<float[]>> appender) {
    if (appender == null) {
      throw new IllegalArgumentException(
          "the session appender is null; give one, e.g. engine::appendAll");
    }
    return new ProxyLm(
        engine, tokenizer, false, sequenceScorer, appender, oai, precision, compatTwin);
  }

  /**
   * Loads a model directory in Hugging Face layout onto the CPU engine in fp32, the precision
   * compat mode needs.
   */
  public static ProxyLm loadCpu(Path directory, int threads) {
    return loadCpu(directory, threads, EngineOptions.Precision.FP32);
  }

  /**
   * Loads a model directory onto the CPU engine in {@code precision} ({@code auto}: bf16 where the
   * CPU has bf16 hardware, see {@link ScoringEngines}). When that is not fp32, compat mode still
   * runs in fp32 ({@link #forCompat}), because LLMLingua's exact output rests on fp32 scores: its
   * engine is opened on the first compat request, over the same loaded weights, and logged.
   */
  public static ProxyLm loadCpu(Path directory, int threads, EngineOptions.Precision precision) {
    LoadedModel model = ModelLoader.load(directory);
    EngineOptions options = EngineOptions.defaults().withPrecision(precision).withThreads(threads);
    EngineOptions.Precision resolved = ScoringEngines.choose(options).precision();
    if (resolved == EngineOptions.Precision.FP32) {
      return new ProxyLm(
          ScoringEngines.open(
              model,
              options.withPrecision(EngineOptions.Precision.FP32),
              precision == EngineOptions.Precision.FP32
                  ? "fp32: compat mode reproduces LLMLingua's fp32 scores exactly"
                  : null),
          model.requireTokenizer(),
          true);
    }
    ScoringEngine engine =
        ScoringEngines.open(
            model, options, "compat mode runs on a separate fp32 engine, opened on first use");
    return new ProxyLm(
        engine,
        model.requireTokenizer(),
        true,
        null,
        null,
        TiktokenTokenizer.cl100kBase(),
        resolved,
        new CompatTwin(model, threads));
  }

  /** The precision of this model's engine (resolved: fp32 or bf16, never auto). */
  public EngineOptions.Precision precision() {
    return precision;
  }

  /**
   * The model compat mode runs on: this one when its engine computes in fp32, else an fp32 engine
   * over the same weights, opened on the first call (and closed with this model). The twin scores
   * unbatched: a server in bf16 serves compat requests one by one, exactly.
   */
  public ProxyLm forCompat() {
    return compatTwin == null ? this : compatTwin.get();
  }

  public ScoringEngine engine() {
    return engine;
  }

  public Tokenizer tokenizer() {
    return tokenizer;
  }

  /** {@code max_position_embeddings}: the most positions one forward pass may hold. */
  public int maxPositions() {
    return engine.contextLength();
  }

  public int[] encode(String text) {
    return text.isEmpty() ? new int[0] : tokenizer.encode(text);
  }

  public String decode(int[] ids) {
    return ids.length == 0 ? "" : tokenizer.decode(ids);
  }

  /** Number of the small model's tokens in {@code text}. */
  public int tokenLength(String text) {
    return encode(text).length;
  }

  /** Number of {@code cl100k_base} tokens in {@code text}, LLMLingua's reporting unit. */
  public int oaiTokens(String text) {
    return text.isEmpty() ? 0 : oai.countTokens(text);
  }

  /**
   * A new KV-cache session on the engine; in a {@link #withSessionAppender view}, its appends go
   * through the appender.
   */
  public ScoringSession newSession() {
    ScoringSession session = engine.newSession();
    return sessionAppender == null ? session : new AppenderSession(session, sessionAppender);
  }

  /**
   * {@link ScoringEngine#score} through this model's sequence scorer: each sequence of length 1 to
   * {@link #maxPositions()} scored as if alone.
   */
  public List<TokenLogProbs> scoreAll(List<int[]> sequences) {
    return sequences.isEmpty() ? List.of() : sequenceScorer.apply(sequences);
  }

  /**
   * Per-token losses of {@code ids[0..end)}, {@code end} clamped to {@link #maxPositions()}: {@code
   * end − 1} values, {@code loss[i]} for predicting {@code ids[i+1]}.
   */
  public float[] losses(int[] ids, int end) {
    return lossesAll(List.of(Arrays.copyOf(ids, Math.min(end, ids.length)))).get(0);
  }

  /**
   * {@link #losses} of whole sequences, each clamped to {@link #maxPositions()}, in one call of the
   * sequence scorer (the engine batches without padding: each sequence gets the losses it gets
   * alone).
   */
  public List<float[]> lossesAll(List<int[]> sequences) {
    List<int[]> scored = new ArrayList<>();
    for (int[] ids : sequences) {
      int n = Math.min(ids.length, maxPositions());
      if (n >= 2) {
        scored.add(Arrays.copyOf(ids, n));
      }
    }
    List<TokenLogProbs> results = scoreAll(scored);
    List<float[]> out = new ArrayList<>(sequences.size());
    int next = 0;
    for (int[] ids : sequences) {
      if (Math.min(ids.length, maxPositions()) < 2) {
        out.add(new float[0]);
        continue;
      }
      float[] logProbs = results.get(next++).logProbs();
      float[] loss = new float[logProbs.length];
      for (int i = 0; i < loss.length; i++) {
        loss[i] = -logProbs[i];
      }
      out.add(loss);
    }
    return out;
  }

  @Override
  public void close() {
    if (ownsEngine) {
      engine.close();
      if (compatTwin != null) {
        compatTwin.close();
      }
    }
  }

  /** The fp32 twin of a model in another precision, opened once on first use. */
  private static final class CompatTwin {
    private final LoadedModel model;
    private final int threads;
    private ProxyLm twin;

    CompatTwin(LoadedModel model, int threads) {
      this.model = model;
      this.threads = threads;
    }

    synchronized ProxyLm get() {
      if (twin == null) {
        twin =
            new ProxyLm(
                ScoringEngines.open(
                    model,
                    EngineOptions.defaults()
                        .withPrecision(EngineOptions.Precision.FP32)
                        .withThreads(threads),
                    "for compat mode: LLMLingua's exact output needs fp32 scores"),
                model.requireTokenizer(),
                true);
      }
      return twin;
    }

    synchronized void close() {
      if (twin != null) {
        twin.close();
        twin = null;
      }
    }
  }
}
