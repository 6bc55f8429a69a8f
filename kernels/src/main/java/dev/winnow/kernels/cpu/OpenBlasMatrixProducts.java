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
 * <p>Weights are copied once into native memory ({@link #pack}); each product copies its activations
 * in and its result out ({@code O(rows·(k+m))}, against {@code O(rows·k·m)} multiply-adds), in calls of
 * {@link #TILE_ROWS} rows, adds the bias in Java, and accumulates through {@code beta = 1}. OpenBLAS runs the product on its own
 * threads, as many as the engine's budget ({@code blas_set_num_threads}, a process-wide setting: the
 * last engine opened sets it); the engine's Java workers wait meanwhile and never split a product
 * themselves, so the two do not oversubscribe the cores.
 *
 * <p>The native library is not loaded when the system property {@value #NATIVE_PROPERTY} is
 * {@code off}: then {@link #open} fails with that reason, and the engine factory falls back to Java.
 */
final class OpenBlasMatrixProducts implements MatrixProducts {
    /** {@code -Dwinnow.kernels.native=off} keeps every native library unloaded (the Java product runs). */
    static final String NATIVE_PROPERTY = "winnow.kernels.native";

    /**
     * Rows per {@code sgemm} call. OpenBLAS picks its code path from the shape (a gemv for one row, a
     * small-matrix kernel for small products, the packed kernel otherwise), and those sum over {@code k}
     * in different orders; calling it only ever with this many rows makes each output row's bits
     * independent of the batch it is in (the engine promises that a sequence scores exactly as alone).
     * A multiple of the AVX-512 kernels' row unroll (16), and the head's block of rows.
     */
    static final int TILE_ROWS = NextTokenHead.ROWS_PER_BLOCK;

    private static final Object LOAD_LOCK = new Object();
    private static String loaded;
    private static MatrixBackendUnavailableException failed;

    private final int threads;
    private final List<NativeMatrix> packed = new ArrayList<>();

    private OpenBlasMatrixProducts(int threads) {
        this.threads = threads;
    }

    /**
     * Loads OpenBLAS (once per process) and sets its thread count to {@code threads}.
     *
     * @throws MatrixBackendUnavailableException if it is disabled or its native library does not load
     */
    static OpenBlasMatrixProducts open(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("illegal thread count " + threads + ": must be at least 1");
        }
        probe();
        synchronized (LOAD_LOCK) {
            openblas_nolapack.blas_set_num_threads(threads);
        }
        return new OpenBlasMatrixProducts(threads);
    }

    /**
     * What loaded (library and platform), loading it on the first call.
     *
     * @throws MatrixBackendUnavailableException if it is disabled or does not load (the reason is kept)
     */
    static String probe() {
        if ("off".equalsIgnoreCase(System.getProperty(NATIVE_PROPERTY, "").trim())) {
            throw new MatrixBackendUnavailableException(MatrixBackend.OPENBLAS,
                    "native libraries disabled by -D" + NATIVE_PROPERTY + "=off", null);
        }
        synchronized (LOAD_LOCK) {
            if (loaded != null) {
                return loaded;
            }
            if (failed != null) {
                throw failed;
            }
            try {
                Loader.load(openblas_nolapack.class);
                loaded = openblas_nolapack.OPENBLAS_VERSION.trim() + " (Bytedeco, " + Loader.getPlatform() + ")";
                return loaded;
            } catch (LinkageError | RuntimeException e) {
                failed = new MatrixBackendUnavailableException(MatrixBackend.OPENBLAS, "its native library did not load on "
                        + System.getProperty("os.name") + "/" + System.getProperty("os.arch") + " (" + e + ")", e);
                throw failed;
            }
        }
    }

    @Override
    public MatrixBackend backend() {
        return MatrixBackend.OPENBLAS;
    }

    /** OpenBLAS threads per product. */
    int threads() {
        return threads;
    }

    @Override
    public Packed pack(float[] b, int k, int m) {
        if ((long) k * m > b.length) {
            throw new IllegalArgumentException("a " + k + " × " + m + " matrix needs " + (long) k * m + " values, got "
                    + b.length);
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
            throw new IllegalArgumentException("a matrix packed by " + b.getClass().getSimpleName()
                    + ", not by the OpenBLAS backend; pack it with this object's pack()");
        }
        if (rows == 0) {
            return;
        }
        int k = w.rows;
        int m = w.cols;
        // every call has exactly TILE_ROWS rows (the last tile zero-padded), so OpenBLAS takes the same
        // code path (kernel, small-matrix or gemv forwarding, thread split) for a row whatever the batch
        int tiles = (rows + TILE_ROWS - 1) / TILE_ROWS;
        try (FloatPointer pa = new FloatPointer((long) tiles * TILE_ROWS * k);
                FloatPointer pc = new FloatPointer((long) tiles * TILE_ROWS * m)) {
            pa.put(a, 0, rows * k);
            pa.position((long) rows * k).fill(0).position(0);
            if (accumulate) {
                pc.put(c, 0, rows * m);
                pc.position((long) rows * m).fill(0).position(0);
            }
            for (int t = 0; t < tiles; t++) {
                openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, openblas_nolapack.CblasNoTrans,
                        openblas_nolapack.CblasNoTrans, TILE_ROWS, m, k, 1f,
                        pa.getPointer((long) t * TILE_ROWS * k), k, w.data, m, accumulate ? 1f : 0f,
                        pc.getPointer((long) t * TILE_ROWS * m), m);
            }
            pc.get(c, 0, rows * m);
        }
        if (bias != null) {
            for (int i = 0; i < rows; i++) {
                int o = i * m;
                for (int j = 0; j < m; j++) {
                    c[o + j] += bias[j];
                }
            }
        }
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
    private record NativeMatrix(int rows, int cols, FloatPointer data) implements Packed {
    }
}
