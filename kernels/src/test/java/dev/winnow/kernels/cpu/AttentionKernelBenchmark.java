package dev.winnow.kernels.cpu;

import java.util.Locale;
import java.util.Random;

/**
 * {@link AttentionBlock} against the one-row-at-a-time loop it replaced (not a test; run its {@code
 * main}): one thread, one head of {@code d_h = 64}, causal attention of {@code -Dlength=1024}
 * tokens in blocks of 16 rows, alternating the two, best of {@code -Drounds=7}; prints ms per head
 * and the largest difference between their outputs.
 */
public final class AttentionKernelBenchmark {
  private AttentionKernelBenchmark() {}

  public static void main(String[] args) {
    int length = Integer.getInteger("length", 1024);
    int hd = 64;
    int rounds = Integer.getInteger("rounds", 7);
    Random random = new Random(3);
    float[][] keys = new float[hd][length];
    float[][] values = new float[length][hd];
    float[] q = new float[length * hd];
    for (int e = 0; e < hd; e++) {
      for (int p = 0; p < length; p++) {
        keys[e][p] = (float) random.nextGaussian();
        values[p][e] = (float) random.nextGaussian();
      }
    }
    for (int i = 0; i < q.length; i++) {
      q[i] = (float) random.nextGaussian();
    }
    float scale = 0.125f;
    float[] outOld = new float[length * hd];
    float[] outNew = new float[length * hd];
    double bestOld = Double.MAX_VALUE;
    double bestNew = Double.MAX_VALUE;
    for (int round = 0; round < rounds; round++) {
      long t0 = System.nanoTime();
      old(q, keys, values, hd, length, scale, outOld);
      long t1 = System.nanoTime();
      for (int r0 = 0; r0 < length; r0 += 16) {
        int rows = Math.min(16, length - r0);
        AttentionBlock.scratch()
            .run(q, r0 * hd, hd, rows, r0 + 1, keys, 0, values, hd, scale, outNew, r0 * hd, hd);
      }
      long t2 = System.nanoTime();
      bestOld = Math.min(bestOld, (t1 - t0) / 1e6);
      bestNew = Math.min(bestNew, (t2 - t1) / 1e6);
    }
    double diff = 0;
    for (int i = 0; i < outOld.length; i++) {
      diff = Math.max(diff, Math.abs(outOld[i] - outNew[i]));
    }
    System.out.printf(
        Locale.ROOT,
        "length %d: one row at a time %.2f ms, AttentionBlock %.2f ms (%.1fx), max |diff| %.2e%n",
        length,
        bestOld,
        bestNew,
        bestOld / bestNew,
        diff);
  }

  private static void old(
      float[] qkv, float[][] keys, float[][] values, int hd, int length, float sc, float[] att) {
    float[] scores = new float[length];
    float[] acc = new float[hd];
    for (int t = 0; t < length; t++) {
      int q = t * hd;
      int visible = t + 1;
      java.util.Arrays.fill(scores, 0, visible, 0f);
      for (int e = 0; e < hd; e++) {
        float qe = qkv[q + e];
        float[] k = keys[e];
        for (int p = 0; p < visible; p++) {
          scores[p] += qe * k[p];
        }
      }
      float max = Float.NEGATIVE_INFINITY;
      for (int p = 0; p < visible; p++) {
        scores[p] *= sc;
        max = Math.max(max, scores[p]);
      }
      double sum = 0;
      for (int p = 0; p < visible; p++) {
        float e = (float) Math.exp(scores[p] - max);
        scores[p] = e;
        sum += e;
      }
      float inv = (float) (1.0 / sum);
      java.util.Arrays.fill(acc, 0f);
      for (int p = 0; p < visible; p++) {
        float w = scores[p] * inv;
        float[] v = values[p];
        for (int e = 0; e < hd; e++) {
          acc[e] += w * v[e];
        }
      }
      System.arraycopy(acc, 0, att, t * hd, hd);
    }
  }
}
