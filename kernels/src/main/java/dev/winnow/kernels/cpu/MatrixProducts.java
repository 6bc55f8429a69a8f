package dev.winnow.kernels.cpu;

/**
 * The seam behind every weight product of the CPU engine ({@link CpuForwardPass}'s projections and
 * MLP, {@link NextTokenHead}'s vocabulary product): {@code C = A · B + bias} (or {@code C += ...}),
 * float32, row-major, with {@code B} a weight matrix prepared once by {@link #pack}.
 *
 * <p>Implementations: {@link JavaMatrixProducts} (the pure-Java reference, split over the engine's
 * worker threads) and {@link OpenBlasMatrixProducts} ({@code cblas_sgemm}, single-threaded, on
 * tiles split over the same workers). Every implementation computes each output row from that row
 * of {@code A} alone and gives it the same bits whatever the batch and thread count (the engine
 * promises that a sequence scores exactly as alone); the summation order over {@code k} is the
 * implementation's own. Safe for concurrent calls.
 */
public interface MatrixProducts extends AutoCloseable {

  /**
   * A weight matrix {@code [k, m]} (in × out) in the layout its {@link MatrixProducts} multiplies.
   */
  interface Packed {
    /** {@code k}: the inner dimension. */
    int rows();

    /** {@code m}: the output width. */
    int cols();
  }

  /** Which implementation this is, e.g. {@code "java"} or {@code "openblas"}. */
  MatrixBackend backend();

  /** Packs row-major {@code b [k, m]}; {@code b} is not kept. */
  Packed pack(float[] b, int k, int m);

  /**
   * {@code c[rows, m] = (accumulate ? c : 0) + a[rows, k] · b + bias}.
   *
   * @param b packed by this object's {@link #pack}
   * @param bias length {@code m}, or {@code null}
   */
  void multiply(float[] a, int rows, Packed b, float[] bias, float[] c, boolean accumulate);

  /** Releases native memory, if any; the packed matrices are unusable afterwards. */
  @Override
  default void close() {}
}
