package dev.winnow.kernels.cpu;

import java.util.Locale;
import java.util.Random;
import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.dnnl.matmul;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive_attr;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.stream;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.ShortPointer;

/**
 * Which way oneDNN should use the thread budget (not a test; run its {@code main}): (a) what {@link
 * OneDnnMatrixProducts} does, fixed 32-row tiles split over the Java workers, one OpenMP thread
 * each; (b) one oneDNN call per product over all rows with an OpenMP team of the whole budget. Both
 * plain bf16, on the product shapes of the proxy models at 512 rows; includes converting the
 * activations to bf16 and copying the result back, as the engine needs. Prints ms per product.
 */
public final class OneDnnThreadingBenchmark {
  private OneDnnThreadingBenchmark() {}

  public static void main(String[] args) {
    int threads = Integer.getInteger("threads", 2);
    int rows = Integer.getInteger("rows", 512);
    System.setProperty(OneDnnMatrixProducts.FORM_PROPERTY, "plain");
    int[][] shapes = {
      {128, 384}, {128, 512}, {512, 128}, {128, 50257}, // proxy-mini qkv, up, down, head
      {320, 960}, {320, 1280}, {1280, 320}, {320, 50257}, // proxy-small
      {256, 512}, {256, 1536}, {768, 256}, {256, 8192}, // proxy-deep qkv (GQA), gate+up, down, head
    };
    System.out.printf(
        Locale.ROOT,
        "rows %d, threads %d, load %.2f%n| k × m | tiles on Java workers, ms | one call, OpenMP team"
            + " of %d, ms |%n|---|---|---|%n",
        rows,
        threads,
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
        threads);
    for (int[] shape : shapes) {
      int k = shape[0];
      int m = shape[1];
      Random random = new Random(k * 31L + m);
      float[] a = new float[rows * k];
      float[] b = new float[k * m];
      for (int i = 0; i < a.length; i++) {
        a[i] = (float) random.nextGaussian();
      }
      for (int i = 0; i < b.length; i++) {
        b[i] = (float) random.nextGaussian();
      }
      float[] c = new float[rows * m];
      double tiles;
      try (WorkerPool pool = new WorkerPool(threads);
          OneDnnMatrixProducts products = OneDnnMatrixProducts.open(pool)) {
        MatrixProducts.Packed packed = products.pack(b, k, m);
        tiles = best(() -> products.multiply(a, rows, packed, null, c, false));
      }
      double whole = wholeProduct(a, b, c, rows, k, m, threads);
      System.out.printf(Locale.ROOT, "| %d × %d | %.2f | %.2f |%n", k, m, tiles, whole);
    }
  }

  private static double wholeProduct(
      float[] a, float[] b, float[] c, int rows, int k, int m, int threads) {
    OneDnnMatrixProducts.setOpenMpThreads(threads);
    var cpu = OneDnnMatrixProducts.cpuEngine();
    memory.desc src =
        new memory.desc(new long[] {rows, k}, memory.data_type.bf16, memory.format_tag.ab);
    memory.desc any =
        new memory.desc(new long[] {k, m}, memory.data_type.bf16, memory.format_tag.any);
    memory.desc dst =
        new memory.desc(new long[] {rows, m}, memory.data_type.f32, memory.format_tag.ab);
    primitive_attr attr = new primitive_attr();
    matmul.primitive_desc pd = new matmul.primitive_desc(cpu, src, any, dst, attr, false);
    matmul mm = new matmul(pd);
    stream s = new stream(cpu);
    FloatPointer plain = new FloatPointer(b);
    memory wPlain =
        new memory(
            new memory.desc(new long[] {k, m}, memory.data_type.f32, memory.format_tag.ab),
            cpu,
            plain);
    memory w = new memory(pd.weights_desc(), cpu);
    IntMemoryMap r = new IntMemoryMap();
    r.put(dnnl.DNNL_ARG_FROM, wPlain);
    r.put(dnnl.DNNL_ARG_TO, w);
    new reorder(wPlain, w).execute(s, r);
    s._wait();
    ShortPointer srcBuf = new ShortPointer((long) rows * k);
    FloatPointer dstBuf = new FloatPointer((long) rows * m);
    short[] bits = new short[rows * k];
    IntMemoryMap args = new IntMemoryMap();
    args.put(dnnl.DNNL_ARG_SRC, new memory(src, cpu, srcBuf));
    args.put(dnnl.DNNL_ARG_WEIGHTS, w);
    args.put(dnnl.DNNL_ARG_DST, new memory(dst, cpu, dstBuf));
    double ms =
        best(
            () -> {
              for (int i = 0; i < bits.length; i++) {
                bits[i] = OneDnnMatrixProducts.bf16(a[i]);
              }
              srcBuf.put(bits);
              mm.execute(s, args);
              s._wait();
              dstBuf.get(c);
            });
    OneDnnMatrixProducts.setOpenMpThreads(1);
    return ms;
  }

  private static double best(Runnable r) {
    r.run();
    double best = Double.MAX_VALUE;
    long until = System.nanoTime() + 1_500_000_000L;
    int reps = 0;
    while (reps < 5 || System.nanoTime() < until) {
      long t = System.nanoTime();
      r.run();
      best = Math.min(best, (System.nanoTime() - t) / 1e6);
      reps++;
    }
    return best;
  }
}
