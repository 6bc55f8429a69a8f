package dev.winnow.kernels.cpu;

import java.util.Locale;
import java.util.Random;

/**
 * {@link AttentionTiles} on one thread (not a test; run its {@code main}): causal self-attention of
 * {@code -Dlength=} new tokens (default 512) for one key/value head with {@code -Dgroup=} query
 * heads (default 2), {@code d_h = 64}, on {@code -Dbackends=java,openblas,onednn}; prints ms per
 * call and the GFLOP/s of the causal part ({@code 2·2·group·d_h·L²/2} flops).
 */
public final class AttentionTilesBenchmark {
  private AttentionTilesBenchmark() {}

  public static void main(String[] args) {
    int length = Integer.getInteger("length", 512);
    int group = Integer.getInteger("group", 2);
    int hd = 64;
    int reps = Integer.getInteger("reps", 20);
    String[] backends = System.getProperty("backends", "java,openblas,onednn").split(",");
    Random random = new Random(1);
    int stride = group * hd;
    float[] qkv = new float[length * stride];
    for (int i = 0; i < qkv.length; i++) {
      qkv[i] = (float) random.nextGaussian();
    }
    int cap = (length + AttentionTiles.KEY_BLOCK - 1) / AttentionTiles.KEY_BLOCK;
    cap *= AttentionTiles.KEY_BLOCK;
    float[] keys = new float[cap * hd];
    float[] values = new float[cap * hd];
    for (int i = 0; i < length * hd; i++) {
      keys[i] = (float) random.nextGaussian();
      values[i] = (float) random.nextGaussian();
    }
    float[] out = new float[length * stride];
    int qt = AttentionTiles.queryTokens(group);
    double flops = 2.0 * 2 * group * hd * (double) length * length / 2;
    try (WorkerPool pool = new WorkerPool(1)) {
      for (String name : backends) {
        MatrixBackend backend = MatrixBackend.valueOf(name.trim().toUpperCase(Locale.ROOT));
        try (MatrixProducts products = MatrixProducts.open(backend, pool)) {
          AttentionTiles tiles = AttentionTiles.scratch();
          double best = Double.MAX_VALUE;
          for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            for (int t = 0; t < length; t += qt) {
              int n = Math.min(qt, length - t);
              tiles.run(
                  products,
                  qkv,
                  t * stride,
                  stride,
                  n,
                  group,
                  hd,
                  t + 1,
                  keys,
                  values,
                  0.125f,
                  out,
                  t * stride,
                  stride);
            }
            best = Math.min(best, (System.nanoTime() - t0) / 1e6);
          }
          System.out.printf(
              Locale.ROOT,
              "%s length %d group %d: %.2f ms, %.1f GFLOP/s (causal flops)%n",
              name,
              length,
              group,
              best,
              flops / best / 1e6);
        }
      }
    }
  }
}
