package dev.winnow.kernels.cpu;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * {@link MatrixProducts} on OpenBLAS: {@code cblas_sgemm} in float32, row-major, from the Bytedeco
 * {@code openblas} jars (native code for linux-x86_64 inside them, extracted on first use).
 *
 * <p>Threads: OpenBLAS is set to one thread ({@code blas_set_num_threads(1)}, process-wide) and the
 * engine's Java workers split each product into fixed tiles of {@link #TILE_ROWS} rows × {@link
 * #TILE_COLS} columns, one {@code sgemm} call each. So the thread budget is the Java pool's and
 * nothing else. Measured once on the 2-core machine (proxy-mini, 512 tokens, forward + head): with
 * OpenBLAS's own two threads (which spin for a while after each call, taking the cores from the
 * Java workers' attention and log-softmax between products) 382 ms, pure Java 262 ms, this way 183
 * ms.
 *
 * <p>Why fixed tiles: OpenBLAS picks its code path from the shape (gemv for one row, a small-matrix
 * kernel for small products, the packed kernel otherwise), and those sum over {@code k} in
 * different orders. Calling it only with whole tiles (the last rows zero-padded; column tiles fixed
 * by the matrix alone) makes an output's bits independent of the batch it is in and of the thread
 * count, as the engine promises (a sequence scores exactly as alone).
 *
 * <p>Weights are copied once into native memory ({@link #pack}); each tile copies its activations
 * in and its result out through per-thread native buffers ({@code O(rows·(k+m))} copies against
 * {@code O(rows·k·m)} multiply-adds); the bias and accumulation are added in Java, as the Java
 * product does.
 *
 * <p>The native library is not loaded when the system property {@value #NATIVE_PROPERTY} is {@code
 * off}: then {@link #open} fails with that reason, and the engine factory falls back to Java.
 */
final class OpenBlasMatrixProducts implements MatrixProducts {
  /** See {@link NativeLibrary#NATIVE_PROPERTY}. */
  static final String NATIVE_PROPERTY = NativeLibrary.NATIVE_PROPERTY;

  /**
   * Rows per {@code sgemm} call: a multiple of the AVX-512 kernels' row unroll (16), and the head's
   * block.
   */
  static final int TILE_ROWS = NextTokenHead.ROWS_PER_BLOCK;

  /**
   * Columns per {@code sgemm} call: a tile of the head's {@code [32, vocab]} logits is 128 KiB
   * (L2).
   */
  static final int TILE_COLS = 1024;

  private static final NativeLibrary LIBRARY =
      new NativeLibrary(
          MatrixBackend.OPENBLAS,
          "its native library did not load",
          () -> {
            Loader.load(openblas_nolapack.class);
            openblas_nolapack.blas_set_num_threads(1);
            return openblas_nolapack.OPENBLAS_VERSION.trim()
                + " (Bytedeco, "
                + Loader.getPlatform()
                + "), 1 thread per call";
          });

  /** Per worker thread: the zero-padded activation tile and the result tile, in native memory. */
  private static final ThreadLocal<FloatPointer[]> BUFFERS = new ThreadLocal<>();

  /** Per worker thread: {@link #gemm}'s operands and result, in native memory. */
  private static final ThreadLocal<FloatPointer[]> GEMM_BUFFERS = new ThreadLocal<>();

  private final WorkerPool pool;
  private final List<NativeMatrix> packed = new ArrayList<>();

  private OpenBlasMatrixProducts(WorkerPool pool) {
    this.pool = pool;
  }

  /**
   * Loads OpenBLAS (once per process), sets it to one thread, and splits products over {@code
   * pool}.
   *
   * @throws MatrixBackendUnavailableException if it is disabled or its native library does not load
   */
  static OpenBlasMatrixProducts open(WorkerPool pool) {
    probe();
    return new OpenBlasMatrixProducts(pool);
  }

  /**
   * What loaded (library and platform), loading it on the first call.
   *
   * @throws MatrixBackendUnavailableException if it is disabled or does not load (the reason is
   *     kept)
   */
  static String probe() {
    return LIBRARY.probe();
  }

  @Override
  public MatrixBackend backend() {
    return MatrixBackend.OPENBLAS;
  }

  @Override
  public Packed pack(float[] b, int k, int m) {
    if ((long) k * m > b.length) {
      throw new IllegalArgumentException(
          "a " + k + " × " + m + " matrix needs " + (long) k * m + " values, got " + b.length);
    }
    FloatPointer p = new FloatPointer((long) k * m);
    p.put(b, 0, k * m);
    NativeMatrix matrix = new NativeMatrix(k, m, p);
    synchronized (packed) {
      packed.add(matrix);
    }
    return matrix;
  }

  @Override
  public void multiply(float[] a, int rows, Packed b, float[] bias, float[] c, boolean accumulate) {
    if (!(b instanceof NativeMatrix w)) {
      throw new IllegalArgumentException(
          "a matrix packed by "
              + b.getClass().getSimpleName()
              + ", not by the OpenBLAS backend; pack it with this object's pack()");
    }
    int rowTiles = (rows + TILE_ROWS - 1) / TILE_ROWS;
    int colTiles = (w.cols + TILE_COLS - 1) / TILE_COLS;
    pool.forEach(
        rowTiles * colTiles,
        task ->
            tile(
                a,
                rows,
                w,
                bias,
                c,
                accumulate,
                (task / colTiles) * TILE_ROWS,
                (task % colTiles) * TILE_COLS));
  }

  /**
   * Rows {@code [r0, r0 + TILE_ROWS)} (those below {@code rows}) times columns {@code [j0, j0 +
   * TILE_COLS)}.
   */
  private static void tile(
      float[] a,
      int rows,
      NativeMatrix w,
      float[] bias,
      float[] c,
      boolean accumulate,
      int r0,
      int j0) {
    int k = w.rows;
    int m = w.cols;
    int n = Math.min(TILE_ROWS, rows - r0);
    int cw = Math.min(TILE_COLS, m - j0);
    FloatPointer[] buffers = buffers(k);
    FloatPointer pa = buffers[0];
    FloatPointer pc = buffers[1];
    pa.position(0).put(a, r0 * k, n * k);
    if (n < TILE_ROWS) {
      pa.position((long) n * k).limit((long) TILE_ROWS * k).fill(0);
    }
    pa.position(0);
    openblas_nolapack.cblas_sgemm(
        openblas_nolapack.CblasRowMajor,
        openblas_nolapack.CblasNoTrans,
        openblas_nolapack.CblasNoTrans,
        TILE_ROWS,
        cw,
        k,
        1f,
        pa,
        k,
        w.data.getPointer(j0),
        m,
        0f,
        pc,
        cw);
    float[] row = new float[cw];
    for (int i = 0; i < n; i++) {
      pc.position((long) i * cw).get(row, 0, cw);
      int o = (r0 + i) * m + j0;
      if (bias != null) {
        for (int j = 0; j < cw; j++) {
          row[j] += bias[j0 + j];
        }
      }
      if (accumulate) {
        for (int j = 0; j < cw; j++) {
          c[o + j] += row[j];
        }
      } else {
        System.arraycopy(row, 0, c, o, cw);
      }
    }
    pc.position(0);
  }

  private static FloatPointer[] buffers(int k) {
    FloatPointer[] b = BUFFERS.get();
    long need = (long) TILE_ROWS * Math.max(k, TILE_COLS);
    if (b == null || b[0].capacity() < need) {
      if (b != null) {
        b[0].close();
        b[1].close();
      }
      long size = Math.max(need, (long) TILE_ROWS * 1024);
      b =
          new FloatPointer[] {
            new FloatPointer(size), new FloatPointer((long) TILE_ROWS * TILE_COLS)
          };
      BUFFERS.set(b);
    }
    b[0].limit(b[0].capacity());
    return b;
  }

  /**
   * {@code cblas_sgemm} on copies of the operands in per-thread native buffers ({@code O(mk + kn +
   * mn)} copies against {@code O(mnk)} multiply-adds), on the calling thread.
   */
  @Override
  public void gemm(
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
    sgemm(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
  }

  /**
   * {@link #gemm} for any backend that has loaded OpenBLAS ({@link #probe} succeeded): the oneDNN
   * backend's unpacked products run here, in float32.
   */
  static void sgemm(
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
    if (m == 0 || n == 0) {
      return;
    }
    int aCols = transA ? m : k;
    int bCols = transB ? k : n;
    FloatPointer[] buf = gemmBuffers((long) m * k, (long) k * n, (long) m * n);
    copyIn(buf[0], a, aOffset, lda, transA ? k : m, aCols);
    copyIn(buf[1], b, bOffset, ldb, transB ? n : k, bCols);
    if (beta != 0f) {
      copyIn(buf[2], c, cOffset, ldc, m, n);
    }
    openblas_nolapack.cblas_sgemm(
        openblas_nolapack.CblasRowMajor,
        transA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
        transB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
        m,
        n,
        k,
        1f,
        buf[0],
        Math.max(1, aCols),
        buf[1],
        Math.max(1, bCols),
        beta,
        buf[2],
        n);
    for (int i = 0; i < m; i++) {
      buf[2].position((long) i * n).get(c, cOffset + i * ldc, n);
    }
    buf[2].position(0);
  }

  /**
   * Copies a stored {@code rows × cols} matrix into {@code p}, compact (leading dimension cols).
   */
  private static void copyIn(FloatPointer p, float[] x, int offset, int ld, int rows, int cols) {
    if (ld == cols) {
      p.position(0).put(x, offset, rows * cols);
    } else {
      for (int r = 0; r < rows; r++) {
        p.position((long) r * cols).put(x, offset + r * ld, cols);
      }
    }
    p.position(0);
  }

  /** Per worker thread: {@link #gemm}'s three operand buffers, at least the sizes asked. */
  private static FloatPointer[] gemmBuffers(long aSize, long bSize, long cSize) {
    FloatPointer[] b = GEMM_BUFFERS.get();
    long[] need = {Math.max(1, aSize), Math.max(1, bSize), Math.max(1, cSize)};
    if (b == null) {
      b = new FloatPointer[3];
      GEMM_BUFFERS.set(b);
    }
    for (int i = 0; i < 3; i++) {
      if (b[i] == null || b[i].capacity() < need[i]) {
        if (b[i] != null) {
          b[i].close();
        }
        b[i] = new FloatPointer(Math.max(need[i], 4096));
      }
      b[i].limit(b[i].capacity());
    }
    return b;
  }

  /** Frees the native copies of the weights. */
  @Override
  public void close() {
    synchronized (packed) {
      for (NativeMatrix m : packed) {
        m.data.close();
      }
      packed.clear();
    }
  }

  /** A weight matrix in native memory, row-major {@code [k, m]}. */
  private record NativeMatrix(int rows, int cols, FloatPointer data) implements Packed {}
}
