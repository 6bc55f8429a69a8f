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
 * <p>What exists today: the CPU engine; in fp32 its matrix products run on OpenBLAS ({@code sgemm})
 * where the native library loads, else on the pure-Java product; in bf16 on oneDNN. {@code AUTO}
 * precision is bf16 where the CPU has AMX-BF16 or AVX512_BF16 and oneDNN loads, else fp32; {@code
 * AUTO} never fails: it falls back (to fp32, to Java) with the reason in the log line. A request
 * for something that does not exist or cannot run here ({@code cuda}, {@code bf16} on an fp32
 * backend or without oneDNN, {@code onednn} in fp32, {@code openblas} without its native library)
 * fails with a message saying so and what to ask for instead.
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
    return open(weights, options, null);
  }

  /**
   * {@link #open(ModelWeights, EngineOptions)}, with {@code why} (e.g. why a caller pins fp32)
   * appended to the log line.
   */
  public static ScoringEngine open(LoadedModel model, EngineOptions options, String why) {
    return open(model.weights(), options, why);
  }

  /**
   * {@link #open(ModelWeights, EngineOptions)}, with {@code why} (e.g. why a caller pins fp32)
   * appended to the log line.
   */
  public static ScoringEngine open(ModelWeights weights, EngineOptions options, String why) {
    EngineChoice choice = choose(options);
    CpuScoringEngine engine = CpuScoringEngine.open(weights, options.threads(), choice.backend());
    String line = choice.describe(options.threads());
    LOG.log(
        System.Logger.Level.INFO, why == null || why.isBlank() ? line : line + " (" + why + ")");
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
    return switch (options.precision()) {
      case FP32 -> chooseFp32(options.backend(), "fp32 as requested");
      case BF16 -> chooseBf16(options.backend());
      case AUTO -> chooseAuto(options.backend());
    };
  }

  /** {@code auto} precision: bf16 where the CPU has bf16 hardware and oneDNN runs, else fp32. */
  private static EngineChoice chooseAuto(EngineOptions.Backend backend) {
    switch (backend) {
      case JAVA, OPENBLAS -> {
        return chooseFp32(
            backend, "fp32 (auto: the " + EngineOptions.id(backend) + " backend computes in fp32)");
      }
      case ONEDNN -> {
        String loaded = MatrixBackend.ONEDNN.probe();
        return new EngineChoice(
            MatrixBackend.ONEDNN,
            "onednn as requested (" + loaded + ")",
            "bf16 (auto: the onednn backend computes in bf16)");
      }
      default -> {
        if (!CpuFeatures.hasBf16()) {
          return chooseFp32(
              EngineOptions.Backend.AUTO,
              "fp32 (auto: no AMX-BF16 or AVX512_BF16 on this CPU, which "
                  + CpuFeatures.bf16Summary()
                  + ")");
        }
        try {
          String loaded = MatrixBackend.ONEDNN.probe();
          return new EngineChoice(
              MatrixBackend.ONEDNN,
              "onednn (auto: bf16, " + loaded + ")",
              "bf16 (auto: CPU " + CpuFeatures.bf16Summary() + ")");
        } catch (MatrixBackendUnavailableException e) {
          return chooseFp32(
              EngineOptions.Backend.AUTO,
              "fp32 (auto: CPU "
                  + CpuFeatures.bf16Summary()
                  + " but no bf16 backend runs: "
                  + e.getMessage()
                  + ")");
        }
      }
    }
  }

  private static EngineChoice chooseBf16(EngineOptions.Backend backend) {
    return switch (backend) {
      case JAVA, OPENBLAS ->
          throw new IllegalArgumentException(
              "precision bf16: the "
                  + EngineOptions.id(backend)
                  + " backend computes in fp32 only; use backend onednn or auto with bf16, "
                  + "or precision fp32");
      case ONEDNN -> {
        // throws MatrixBackendUnavailableException with the reason when it cannot run
        String loaded = MatrixBackend.ONEDNN.probe();
        yield new EngineChoice(
            MatrixBackend.ONEDNN, "onednn as requested (" + loaded + ")", "bf16 as requested");
      }
      case AUTO -> {
        try {
          String loaded = MatrixBackend.ONEDNN.probe();
          yield new EngineChoice(
              MatrixBackend.ONEDNN,
              "onednn (auto: the bf16 backend, " + loaded + ")",
              "bf16 as requested");
        } catch (MatrixBackendUnavailableException e) {
          throw new IllegalArgumentException(
              "precision bf16: no matrix backend here computes in bf16 ("
                  + e.getMessage()
                  + "); use precision fp32 or auto",
              e);
        }
      }
    };
  }

  private static EngineChoice chooseFp32(EngineOptions.Backend backend, String precisionReason) {
    return switch (backend) {
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
              "matrix backend onednn computes in bf16 only; use precision bf16 or auto with it, "
                  + "or backend openblas, java or auto for fp32");
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

    /** The precision the products compute in: bf16 on oneDNN, else fp32. */
    public EngineOptions.Precision precision() {
      return backend == MatrixBackend.ONEDNN
          ? EngineOptions.Precision.BF16
          : EngineOptions.Precision.FP32;
    }

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
