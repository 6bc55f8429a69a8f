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
 * implementation's own. Safe for concurrent calls. {@link #gemm} multiplies two unpacked operands
 * (attention, gradients), in float32 on every backend.
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

  /**
   * A product of two unpacked operands, for products whose both sides change from call to call
   * (attention's {@code q·kᵀ} and {@code p·v}, the training path's gradients): {@code c[m, n] =
   * beta·c + op(a)[m, k] · op(b)[k, n]}, where {@code op(x)} is {@code x} or, when its flag is set,
   * {@code xᵀ}. All three are row-major inside larger arrays: element {@code (i, j)} of a stored
   * matrix {@code x} is {@code x[xOffset + i·ldx + j]}, so {@code a} is stored {@code [m, k]} (or
   * {@code [k, m]} when transposed) with {@code lda} at least its stored width, and likewise {@code
   * b} and {@code c}. With {@code beta == 0} the old contents of {@code c} are not read (NaN there
   * does not leak).
   *
   * <p>Runs on the calling thread, so it may be called from inside the engine's worker tasks; use
   * {@link #parallelGemm} to split one large product over the workers. Float32 in every backend
   * (oneDNN's bf16 is for the weight products); the summation order over {@code k} is the
   * implementation's own, and unlike {@link #multiply} no bits are promised across shapes.
   *
   * <p>This default is the pure-Java product ({@link JavaGemm}); native backends override it.
   */
  default void gemm(
      boolean transA,
      boolean transB,
      int m,
      int n,
      int k,
      float[] a,
      int aOffset,
      int lda,
      float[] b,
      int bOffset,
      int ldb,
      float beta,
      float[] c,
      int cOffset,
      int ldc) {
    JavaGemm.gemm(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
  }

  /**
   * {@link #gemm}, with the output cut into tiles of {@value JavaGemm#TILE_ROWS} rows × {@value
   * JavaGemm#TILE_COLS} columns run on {@code pool}'s workers (one {@link #gemm} call each). Must
   * not be called from inside a task of the same pool.
   */
  default void parallelGemm(
      WorkerPool pool,
      boolean transA,
      boolean transB,
      int m,
      int n,
      int k,
      float[] a,
      int aOffset,
      int lda,
      float[] b,
      int bOffset,
      int ldb,
      float beta,
      float[] c,
      int cOffset,
      int ldc) {
    JavaGemm.checkShapes(
        transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc);
    int rowTiles = (m + JavaGemm.TILE_ROWS - 1) / JavaGemm.TILE_ROWS;
    int colTiles = (n + JavaGemm.TILE_COLS - 1) / JavaGemm.TILE_COLS;
    pool.forEach(
        rowTiles * colTiles,
        task -> {
          int i0 = (task / colTiles) * JavaGemm.TILE_ROWS;
          int j0 = (task % colTiles) * JavaGemm.TILE_COLS;
          int tm = Math.min(JavaGemm.TILE_ROWS, m - i0);
          int tn = Math.min(JavaGemm.TILE_COLS, n - j0);
          gemm(
              transA,
              transB,
              tm,
              tn,
              k,
              a,
              aOffset + (transA ? i0 : i0 * lda),
              lda,
              b,
              bOffset + (transB ? j0 * ldb : j0),
              ldb,
              beta,
              c,
              cOffset + i0 * ldc + j0,
              ldc);
        });
  }

  /**
   * The products of {@code backend}, split over {@code pool}'s workers; the caller closes both.
   *
   * @throws MatrixBackendUnavailableException if the backend's native library cannot run here
   */
  static MatrixProducts open(MatrixBackend backend, WorkerPool pool) {
    return switch (backend) {
      case JAVA -> new JavaMatrixProducts(pool);
      case OPENBLAS -> OpenBlasMatrixProducts.open(pool);
      case ONEDNN -> OneDnnMatrixProducts.open(pool);
    };
  }

  /** Releases native memory, if any; the packed matrices are unusable afterwards. */
  @Override
  default void close() {}
}
