package dev.winnow.kernels.cpu;

import java.util.Locale;

/** The implementations of {@link MatrixProducts} the CPU engine can run on. */
public enum MatrixBackend {
  /**
   * Pure Java ({@link MatMul}), split over the engine's worker threads: the reference and the
   * fallback.
   */
  JAVA,
  /**
   * OpenBLAS {@code cblas_sgemm} (float32), from the Bytedeco jars, single-threaded on tiles the
   * Java workers split.
   */
  OPENBLAS,
  /**
   * oneDNN matmul in bf16 (f32 accumulation and output; AMX or AVX512_BF16), from the Bytedeco
   * jars, single-threaded on tiles the Java workers split ({@link OneDnnMatrixProducts}).
   */
  ONEDNN;

  /** The lower-case name used in options and messages. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Loads the backend's native library if it has one (once per process) and says what loaded.
   *
   * @throws MatrixBackendUnavailableException if it cannot run here; the message says why
   */
  public String probe() {
    return switch (this) {
      case JAVA ->
          "pure Java ("
              + System.getProperty("java.vm.name")
              + " "
              + System.getProperty("java.version")
              + ")";
      case OPENBLAS -> OpenBlasMatrixProducts.probe();
      case ONEDNN -> OneDnnMatrixProducts.probe();
    };
  }
}
