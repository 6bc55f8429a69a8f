package dev.winnow.kernels.engine;

import dev.winnow.kernels.cpu.CpuScoringEngine;
import dev.winnow.kernels.cpu.MatrixBackend;
import dev.winnow.kernels.cpu.MatrixBackendUnavailableException;
import dev.winnow.kernels.model.LoadedModel;
import dev.winnow.kernels.model.ModelWeights;
import dev.winnow.kernels.scoring.ScoringEngine;

/**
 * The one way to get a {@link ScoringEngine}: resolves {@link EngineOptions} for this machine
 * (device, precision, matrix backend), builds the engine, and logs one line saying what it chose
 * and why.
 *
 * <pre>{@code
 * LoadedModel model = ModelLoader.load(dir);
 * try (ScoringEngine engine = ScoringEngines.open(model, EngineOptions.defaults().withThreads(2))) {
 *     List<TokenLogProbs> scores = engine.score(List.of(model.requireTokenizer().encode(text)));
 * }
 * }</pre>
 *
 * <p>What exists today: the CPU engine in float32, its matrix products on OpenBLAS ({@code sgemm})
 * where the native library loads, else on the pure-Java product. {@code AUTO} never fails: it takes
 * OpenBLAS and falls back to Java with the reason in the log line. A request for something that
 * does not exist or cannot run here ({@code cuda}, {@code bf16}, {@code onednn}, {@code openblas}
 * without its native library) fails with a message saying so and what to ask for instead.
 */
public final class ScoringEngines {
  private static final System.Logger LOG = System.getLogger(ScoringEngines.class.getName());

  private ScoringEngines() {}

  /** {@link #open(ModelWeights, EngineOptions)} on a loaded model's weights. */
  public static ScoringEngine open(LoadedModel model, EngineOptions options) {
    return open(model.weights(), options);
  }

  /**
   * An engine over {@code weights} as {@code options} ask.
   *
   * @throws IllegalArgumentException if the options ask for a device, precision or backend that no
   *     engine here supports (the message says which and what to use)
   */
  public static ScoringEngine open(ModelWeights weights, EngineOptions options) {
    EngineChoice choice = choose(options);
    CpuScoringEngine engine = CpuScoringEngine.open(weights, options.threads(), choice.backend());
    LOG.log(System.Logger.Level.INFO, choice.describe(options.threads()));
    return engine;
  }

  /**
   * What {@link #open} would build for {@code options}, and why; loads a native library to find out
   * whether it runs, builds no engine.
   */
  public static EngineChoice choose(EngineOptions options) {
    if (options.device() == EngineOptions.Device.CUDA) {
      throw new IllegalArgumentException(
          "device cuda: no GPU scoring engine exists yet; use device cpu");
    }
    String precisionReason =
        switch (options.precision()) {
          case FP32 -> "fp32 as requested";
          case AUTO ->
              "fp32 (auto: no backend here computes in bf16; CPU "
                  + CpuFeatures.bf16Summary()
                  + ")";
          case BF16 ->
              throw new IllegalArgumentException(
                  "precision bf16: no matrix backend here computes in bf16 "
                      + "yet; use precision fp32 or auto");
        };
    return switch (options.backend()) {
      case JAVA -> new EngineChoice(MatrixBackend.JAVA, "java as requested", precisionReason);
      case OPENBLAS -> {
        // throws MatrixBackendUnavailableException with the reason when it cannot load
        String loaded = MatrixBackend.OPENBLAS.probe();
        yield new EngineChoice(
            MatrixBackend.OPENBLAS, "openblas as requested (" + loaded + ")", precisionReason);
      }
      case AUTO -> {
        try {
          String loaded = MatrixBackend.OPENBLAS.probe();
          yield new EngineChoice(
              MatrixBackend.OPENBLAS,
              "openblas (auto: fp32 sgemm, " + loaded + ")",
              precisionReason);
        } catch (MatrixBackendUnavailableException e) {
          yield new EngineChoice(
              MatrixBackend.JAVA,
              "java (auto: fell back, " + e.getMessage() + ")",
              precisionReason);
        }
      }
      case ONEDNN ->
          throw new IllegalArgumentException(
              "matrix backend onednn: not built into this engine yet; "
                  + "use backend openblas, java or auto");
    };
  }

  /**
   * The backend and precision {@link #open} resolved, with the reasons.
   *
   * @param backend the matrix product the CPU engine runs on
   * @param backendReason why that backend
   * @param precisionReason the precision and why
   */
  public record EngineChoice(MatrixBackend backend, String backendReason, String precisionReason) {

    /** The one line {@link #open} logs. */
    public String describe(int threads) {
      return "scoring engine: cpu, "
          + threads
          + " threads, matrix backend "
          + backendReason
          + ", precision "
          + precisionReason;
    }
  }
}
