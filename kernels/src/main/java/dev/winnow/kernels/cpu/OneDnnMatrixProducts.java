package dev.winnow.kernels.cpu;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.dnnl.matmul;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive_attr;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.stream;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.ShortPointer;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * {@link MatrixProducts} on oneDNN's bf16 matmul (Bytedeco {@code dnnl} 3.11): bf16 inputs, float32
 * accumulation and output, on AMX where the CPU has it, else AVX512_BF16 (oneDNN's {@code brgemm}
 * kernels).
 *
 * <p>Two forms ({@link Form}, {@code -Dwinnow.kernels.bf16=x3|plain}): {@code x3}, the default,
 * splits every float32 input into a bf16 high part and a bf16 low part and sums three bf16 products
 * in one matmul over {@code 3k} (error ~2^-16 per term: within 1e-4 of transformers' fp32 goldens
 * on proxy-mini); {@code plain} rounds each input to bf16 once (half the weight memory, error 2^-8
 * per input: up to 6e-2 per token on proxy-mini, over the 2e-2 issue 14 asks for). Rounding is to
 * nearest, ties to even.
 *
 * <p>Weights: {@link #pack} splits a matrix into column tiles of {@link #TILE_COLS} and reorders
 * each, once, into the bf16 layout oneDNN's matmul asks for ({@code format_tag::any} for the
 * weights: blocked for AMX); in the x3 form as {@code [hi; lo; hi]} stacked over {@code k}.
 *
 * <p>Threads, as {@link OpenBlasMatrixProducts}: the engine's Java workers split each product into
 * fixed tiles of {@link #TILE_ROWS} rows × one column tile and run one oneDNN matmul per tile on
 * the calling worker, with OpenMP set to one thread on that worker ({@code omp_set_num_threads(1)},
 * per thread). So the {@code --threads} budget is the Java pool's and nothing else: no OpenMP team
 * spins beside the Java attention and log-softmax. (The alternative, one oneDNN call per product
 * over an OpenMP team of the whole budget, measured slower on this machine: see {@code
 * bench/results/kernels-cpu.md}.)
 *
 * <p>Why fixed tiles: oneDNN chooses blocking and kernels from the shape, so only a fixed shape per
 * matrix (the last rows zero-padded, column tiles fixed by the matrix) makes an output row's bits
 * independent of the batch it is in and of the thread count, as the engine promises. Bias and
 * accumulation are added in Java, in float32, after the product (as the other backends do).
 *
 * <p>The OpenMP thread count: the Bytedeco preset does not map {@code omp_set_num_threads}, so it
 * is called through its address ({@link Loader#addressof}) with a JavaCPP function pointer of
 * signature {@code void(int, void*, int)} (OpenBLAS's {@code openblas_dojob_callback}); on the only
 * platform both jars ship native code for (linux-x86_64, System V ABI) the first integer argument
 * is passed in the same register either way and the others are ignored by the callee. Where that
 * symbol or class is missing the backend is unavailable, with the reason.
 *
 * <p>Not loaded when {@code -Dwinnow.kernels.native=off}.
 */
final class OneDnnMatrixProducts implements MatrixProducts {
  /** Rows per matmul call (the head's block). */
  static final int TILE_ROWS = NextTokenHead.ROWS_PER_BLOCK;

  /** Columns per matmul call and per packed weight tile. */
  static final int TILE_COLS = 1024;

  private static final NativeLibrary LIBRARY =
      new NativeLibrary(
          MatrixBackend.ONEDNN,
          "it did not load or cannot compute bf16",
          OneDnnMatrixProducts::load);
  private static engine cpu;
  private static openblas_nolapack.openblas_dojob_callback setOmpThreads;
  private static final org.bytedeco.javacpp.LongPointer CALLBACK_PEER =
      new org.bytedeco.javacpp.LongPointer(2);

  /** Per worker thread: OpenMP set to one thread, its stream and its native buffers. */
  private static final ThreadLocal<Worker> WORKERS = new ThreadLocal<>();

  private final WorkerPool pool;
  private final List<BlockedMatrix> packed = new ArrayList<>();

  /** One matmul primitive per weight tile shape {@code (k, cw)}. */
  private final Map<Long, Kernel> kernels = new ConcurrentHashMap<>();

  /** Whether OpenBLAS loaded, for {@link #gemm}. */
  private final boolean blas;

  private OneDnnMatrixProducts(WorkerPool pool) {
    this.pool = pool;
    boolean loaded;
    try {
      OpenBlasMatrixProducts.probe();
      loaded = true;
    } catch (MatrixBackendUnavailableException e) {
      loaded = false;
    }
    this.blas = loaded;
  }

  /**
   * Loads oneDNN (once per process) and splits products over {@code pool}.
   *
   * @throws MatrixBackendUnavailableException if native code is disabled, oneDNN does not load, or
   *     the CPU has no bf16 matmul in oneDNN
   */
  static OneDnnMatrixProducts open(WorkerPool pool) {
    probe();
    return new OneDnnMatrixProducts(pool);
  }

  /**
   * What loaded: library version, the ISA oneDNN runs on, loading it on the first call.
   *
   * @throws MatrixBackendUnavailableException if it is disabled or cannot run (reason kept)
   */
  static String probe() {
    return LIBRARY.probe();
  }

  private static String load() {
    Loader.load(dnnl.class);
    Pointer address = Loader.addressof("omp_set_num_threads");
    if (address == null || address.isNull()) {
      throw new UnsatisfiedLinkError("omp_set_num_threads not found beside libdnnl");
    }
    Loader.load(openblas_nolapack.class);
    // JavaCPP's peer of a function pointer is a struct whose first word is the function
    CALLBACK_PEER.put(0, address.address()).put(1, 0L);
    setOmpThreads = new openblas_nolapack.openblas_dojob_callback(CALLBACK_PEER);
    setOmpThreads.call(1, null, 0);
    cpu = new engine(engine.kind.cpu, 0);
    Kernel probe = Kernel.create(64, 64);
    String impl = probe.impl;
    if (!impl.contains("amx") && !impl.contains("bf16")) {
      throw new IllegalStateException(
          "oneDNN's bf16 matmul runs on '" + impl + "' here (no AMX or AVX512_BF16)");
    }
    var v = dnnl.dnnl_version();
    return "oneDNN "
        + v.major()
        + "."
        + v.minor()
        + "."
        + v.patch()
        + " (Bytedeco, "
        + Loader.getPlatform()
        + "), bf16 matmul "
        + impl
        + ", 1 OpenMP thread per call, form "
        + form().name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * Sets the calling thread's OpenMP team size for oneDNN calls it makes (for the benchmark that
   * compares one threaded call per product with tiles split by the Java workers).
   */
  static void setOpenMpThreads(int threads) {
    probe();
    setOmpThreads.call(threads, null, 0);
  }

  /** The engine every primitive here runs on (loads oneDNN). */
  static engine cpuEngine() {
    probe();
    return cpu;
  }

  @Override
  public MatrixBackend backend() {
    return MatrixBackend.ONEDNN;
  }

  /**
   * Float32 {@code cblas_sgemm} (OpenBLAS, loaded beside oneDNN and set to one thread): the
   * unpacked products are attention's {@code q·kᵀ} and {@code p·v}, whose operands change every
   * call; in bf16 they would need each operand rounded (and, for the x3 form, split) per call, and
   * the scores' rounding would move the log-probabilities beyond the bounds the weight products
   * keep. The Java product where OpenBLAS did not load.
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
    if (blas) {
      OpenBlasMatrixProducts.sgemm(
          transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
    } else {
      JavaGemm.gemm(
          transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
    }
  }

  @Override
  public Packed pack(float[] b, int k, int m) {
    if ((long) k * m > b.length) {
      throw new IllegalArgumentException(
          "a " + k + " × " + m + " matrix needs " + (long) k * m + " values, got " + b.length);
    }
    boolean split = splits(k, m);
    int inner = split ? 3 * k : k;
    int tiles = (m + TILE_COLS - 1) / TILE_COLS;
    memory[] blocks = new memory[tiles];
    Kernel[] byTile = new Kernel[tiles];
    FloatPointer plain = new FloatPointer((long) inner * Math.min(m, TILE_COLS));
    try (stream s = new stream(cpu)) {
      float[] row = new float[Math.min(m, TILE_COLS)];
      for (int t = 0; t < tiles; t++) {
        int j0 = t * TILE_COLS;
        int cw = Math.min(TILE_COLS, m - j0);
        for (int p = 0; p < k; p++) {
          System.arraycopy(b, p * m + j0, row, 0, cw);
          if (split) {
            // [hi; lo; hi]: a_hi·w_hi + a_hi·w_lo + a_lo·w_hi in one product over 3k
            float[] lo = new float[cw];
            for (int j = 0; j < cw; j++) {
              float hi = fromBf16(bf16(row[j]));
              lo[j] = row[j] - hi;
              row[j] = hi;
            }
            plain.position((long) (k + p) * cw).put(lo, 0, cw);
            plain.position((long) (2 * k + p) * cw).put(row, 0, cw);
          }
          plain.position((long) p * cw).put(row, 0, cw);
        }
        plain.position(0);
        Kernel kernel = kernel(inner, cw);
        memory.desc plainDesc =
            new memory.desc(new long[] {inner, cw}, memory.data_type.f32, memory.format_tag.ab);
        memory source = new memory(plainDesc, cpu, plain);
        memory blocked = new memory(kernel.weights, cpu);
        new reorder(source, blocked).execute(s, args(dnnl.DNNL_ARG_FROM, source, blocked));
        s._wait();
        source.close();
        plainDesc.close();
        blocks[t] = blocked;
        byTile[t] = kernel;
      }
    } finally {
      plain.close();
    }
    BlockedMatrix matrix = new BlockedMatrix(k, m, split, blocks, byTile);
    synchronized (packed) {
      packed.add(matrix);
    }
    return matrix;
  }

  private static IntMemoryMap args(int fromArg, memory from, memory to) {
    IntMemoryMap map = new IntMemoryMap();
    map.put(fromArg, from);
    map.put(dnnl.DNNL_ARG_TO, to);
    return map;
  }

  private static boolean splits(int k, int m) {
    return form() == Form.X3;
  }

  /**
   * How a float32 product is computed on the bf16 hardware ({@value #FORM_PROPERTY}, read when a
   * matrix is packed).
   */
  enum Form {
    /**
     * {@code x3} (the default): each float32 {@code x} split as {@code hi = bf16(x)}, {@code lo =
     * bf16(x − hi)}, and {@code a·b ≈ a_hi·b_hi + a_hi·b_lo + a_lo·b_hi}, as one bf16 matmul over
     * {@code 3k}: relative error ~2^-16 per term instead of 2^-8. Measured against transformers'
     * fp32 goldens (worst |Δ ln p|): proxy-mini 6.3e-5, proxy-deep 2.5e-3, where plain bf16 gives
     * 5.9e-2 and 1.8e-2 (over the 2e-2 the issue asks for). Weights take two bf16 copies (the size
     * of float32).
     */
    X3,
    /** {@code plain}: inputs rounded to bf16 once; half the weight memory, error 2^-8 per input. */
    PLAIN
  }

  /** {@code -Dwinnow.kernels.bf16=x3|plain}. */
  static final String FORM_PROPERTY = "winnow.kernels.bf16";

  static Form form() {
    String v = System.getProperty(FORM_PROPERTY, "x3").trim();
    if (v.equalsIgnoreCase("plain")) {
      return Form.PLAIN;
    }
    if (v.equalsIgnoreCase("x3")) {
      return Form.X3;
    }
    throw new IllegalArgumentException(
        "illegal -D" + FORM_PROPERTY + "=" + v + ": must be x3 or plain");
  }

  private Kernel kernel(int k, int cw) {
    return kernels.computeIfAbsent(((long) k << 32) | cw, key -> Kernel.create(k, cw));
  }

  @Override
  public void multiply(float[] a, int rows, Packed b, float[] bias, float[] c, boolean accumulate) {
    if (!(b instanceof BlockedMatrix w)) {
      throw new IllegalArgumentException(
          "a matrix packed by "
              + b.getClass().getSimpleName()
              + ", not by the oneDNN backend; pack it with this object's pack()");
    }
    int rowTiles = (rows + TILE_ROWS - 1) / TILE_ROWS;
    int colTiles = w.blocks.length;
    if (colTiles == 1) {
      // the activation tile is converted once per row tile and used for every column tile
      pool.forEach(rowTiles, task -> rowTile(a, rows, w, bias, c, accumulate, task * TILE_ROWS));
    } else {
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
                  task % colTiles,
                  true));
    }
  }

  private static void rowTile(
      float[] a, int rows, BlockedMatrix w, float[] bias, float[] c, boolean accumulate, int r0) {
    tile(a, rows, w, bias, c, accumulate, r0, 0, true);
  }

  /** Rows {@code [r0, r0 + TILE_ROWS)} (those below {@code rows}) times column tile {@code t}. */
  private static void tile(
      float[] a,
      int rows,
      BlockedMatrix w,
      float[] bias,
      float[] c,
      boolean accumulate,
      int r0,
      int t,
      boolean convert) {
    int k = w.rows;
    int m = w.cols;
    int n = Math.min(TILE_ROWS, rows - r0);
    int j0 = t * TILE_COLS;
    int cw = Math.min(TILE_COLS, m - j0);
    Worker worker = worker();
    Kernel kernel = w.kernels[t];
    int inner = w.split ? 3 * k : k;
    if (convert) {
      worker.toBf16(a, r0 * k, n, k, w.split, (long) TILE_ROWS * inner);
    }
    Worker.Bound bound = worker.bind(kernel, inner, cw);
    bound.args.put(dnnl.DNNL_ARG_WEIGHTS, w.blocks[t]);
    kernel.matmul.execute(worker.stream, bound.args);
    float[] row = worker.row(cw);
    FloatPointer pc = worker.dst;
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

  private static Worker worker() {
    Worker w = WORKERS.get();
    if (w == null) {
      w = new Worker();
      WORKERS.set(w);
    }
    return w;
  }

  /** Frees the packed weights and the primitives. */
  @Override
  public void close() {
    synchronized (packed) {
      for (BlockedMatrix m : packed) {
        for (memory block : m.blocks) {
          block.close();
        }
      }
      packed.clear();
    }
  }

  /** A weight matrix as column tiles of bf16 in oneDNN's blocked layout. */
  private record BlockedMatrix(int rows, int cols, boolean split, memory[] blocks, Kernel[] kernels)
      implements Packed {}

  /** The matmul {@code [TILE_ROWS, k] bf16 · [k, cw] bf16 (blocked) → [TILE_ROWS, cw] f32}. */
  private record Kernel(
      matmul matmul,
      memory.desc src,
      memory.desc weights,
      memory.desc dst,
      memory.desc scratchpad,
      String impl) {
    static Kernel create(int k, int cw) {
      memory.desc src =
          new memory.desc(new long[] {TILE_ROWS, k}, memory.data_type.bf16, memory.format_tag.ab);
      memory.desc anyWeights =
          new memory.desc(new long[] {k, cw}, memory.data_type.bf16, memory.format_tag.any);
      memory.desc dst =
          new memory.desc(new long[] {TILE_ROWS, cw}, memory.data_type.f32, memory.format_tag.ab);
      primitive_attr attr = new primitive_attr();
      attr.set_scratchpad_mode(dnnl.scratchpad_mode.user);
      matmul.primitive_desc pd = new matmul.primitive_desc(cpu, src, anyWeights, dst, attr, false);
      String impl = pd.impl_info_str().getString();
      return new Kernel(new matmul(pd), src, pd.weights_desc(), dst, pd.scratchpad_desc(), impl);
    }
  }

  /** One worker thread's OpenMP setting, stream, buffers and bound memory objects. */
  private static final class Worker {
    final stream stream;
    ShortPointer src = new ShortPointer(0);
    FloatPointer dst = new FloatPointer((long) TILE_ROWS * TILE_COLS);
    short[] bits = new short[0];
    float[] row = new float[0];
    final Map<Long, Bound> bound = new java.util.HashMap<>();

    record Bound(memory src, memory dst, memory scratchpad, IntMemoryMap args) {}

    Worker() {
      setOmpThreads.call(1, null, 0); // this thread's OpenMP ICV: oneDNN runs on the caller alone
      stream = new stream(cpu);
    }

    float[] row(int n) {
      if (row.length < n) {
        row = new float[n];
      }
      return row;
    }

    /**
     * Rounds {@code n} rows of {@code k} from {@code a[from]} to bf16 into {@link #src} (split:
     * each row as {@code [hi, hi, lo]}), zero up to {@code capacity}.
     */
    void toBf16(float[] a, int from, int rows, int k, boolean split, long capacity) {
      if (src.capacity() < capacity) {
        src.close();
        src = new ShortPointer(capacity);
        for (Bound b : bound.values()) {
          b.src.close();
          b.dst.close();
          b.scratchpad.close();
          b.args.close();
        }
        bound.clear();
      }
      if (bits.length < capacity) {
        bits = new short[(int) capacity];
      }
      int n;
      if (split) {
        n = 3 * rows * k;
        for (int r = 0; r < rows; r++) {
          int o = 3 * r * k;
          for (int p = 0; p < k; p++) {
            float x = a[from + r * k + p];
            short hi = bf16(x);
            bits[o + p] = hi;
            bits[o + k + p] = hi;
            bits[o + 2 * k + p] = bf16(x - fromBf16(hi));
          }
        }
      } else {
        n = rows * k;
        for (int i = 0; i < n; i++) {
          bits[i] = bf16(a[from + i]);
        }
      }
      java.util.Arrays.fill(bits, n, (int) capacity, (short) 0);
      src.position(0).put(bits, 0, (int) capacity);
      src.position(0);
    }

    Bound bind(Kernel kernel, int k, int cw) {
      return bound.computeIfAbsent(
          ((long) k << 32) | cw,
          key -> {
            memory s = new memory(kernel.src, cpu, src);
            memory d = new memory(kernel.dst, cpu, dst);
            IntMemoryMap args = new IntMemoryMap();
            args.put(dnnl.DNNL_ARG_SRC, s);
            args.put(dnnl.DNNL_ARG_DST, d);
            // scratchpad mode user: each worker's own, so concurrent calls share nothing
            memory scratch = new memory(kernel.scratchpad, cpu);
            args.put(dnnl.DNNL_ARG_SCRATCHPAD, scratch);
            return new Bound(s, d, scratch, args);
          });
    }
  }

  /** {@code f} rounded to bf16 (nearest, ties to even), as its upper 16 bits; NaN stays NaN. */
  static short bf16(float f) {
    int bits = Float.floatToRawIntBits(f);
    if ((bits & 0x7fffffff) > 0x7f800000) {
      return (short) ((bits >>> 16) | 0x40);
    }
    int rounded = bits + 0x7fff + ((bits >>> 16) & 1);
    return (short) (rounded >>> 16);
  }

  /** The float a bf16 bit pattern stands for. */
  static float fromBf16(short h) {
    return Float.intBitsToFloat((h & 0xffff) << 16);
  }
}
