package dev.winnow.kernels.cpu;

/**
 * Causal attention of a block of consecutive new rows of one sequence, for one query head, against
 * that sequence's cached keys and values ({@link KvCache} layouts): {@code out_i = softmax(scale ·
 * q_i · K[:, 0..visible_i)) · V[0..visible_i)}, where row {@code i} sees {@code visible_i =
 * visible_0 + i} positions.
 *
 * <p>Why this shape: one row at a time, {@code scores[p] += q_e · k_e[p]} loads and stores the
 * scores once per multiply-add, and streams all keys (up to 256 KiB per head) once per row. Here
 * {@link #GROUP} rows share every loaded key ({@code s_i[p] + q_{i,e}·k_e[p] + q_{i,e+1}·k_{e+1}[p]
 * + ...}, four key dimensions per pass over the scores), and the weighted sum of values likewise
 * shares each loaded value row between the rows and takes two positions per pass. (Two rows, not
 * four: with four rows' stores in one loop C2 left the loop scalar, measured 15 against 70 GFLOP/s
 * for the scores.) The inner loops index every array alike, which C2 vectorizes.
 *
 * <p>Exactness: Java evaluates {@code s + a + b + c + d} left to right, each operation rounded, so
 * the unrolled expressions are the same operations in the same order as one term at a time. Each
 * row's scores are summed over {@code e = 0..d_h−1} in order and its output over {@code p =
 * 0..visible_i−1} in order, whichever rows share its group and however many positions the group
 * spans: a row's bits depend on its own query and the cache alone, not on its batch or block (the
 * engine's promise). Positions a row does not see are computed for the group but never read for
 * that row.
 */
final class AttentionBlock {
  static final int GROUP = 2;

  private static final ThreadLocal<AttentionBlock> SCRATCH =
      ThreadLocal.withInitial(AttentionBlock::new);

  private final float[][] scores = new float[GROUP][1024];
  private final float[][] acc = new float[GROUP][0];

  private AttentionBlock() {}

  static AttentionBlock scratch() {
    return SCRATCH.get();
  }

  /**
   * Rows {@code r = 0..rows−1}: query at {@code qkv[qOffset + r·qStride ..+ hd)}, output to {@code
   * out[outOffset + r·outStride ..+ hd)}, visible positions {@code visible0 + r}.
   *
   * @param keys {@code keys[e][p]} for {@code e < hd} of this head, from {@code keyRow}
   * @param values {@code values[p][e]} of this key/value head
   */
  void run(
      float[] qkv,
      int qOffset,
      int qStride,
      int rows,
      int visible0,
      float[][] keys,
      int keyRow,
      float[][] values,
      int hd,
      float scale,
      float[] out,
      int outOffset,
      int outStride) {
    int needed = visible0 + rows + 16;
    if (scores[0].length < needed) {
      for (int i = 0; i < GROUP; i++) {
        scores[i] = new float[Math.max(needed, 2 * scores[i].length)];
      }
    }
    if (acc[0].length < hd) {
      for (int i = 0; i < GROUP; i++) {
        acc[i] = new float[hd];
      }
    }
    int r = 0;
    for (; r + GROUP <= rows; r += GROUP) {
      int q = qOffset + r * qStride;
      int vis = visible0 + r;
      scores2(qkv, q, qStride, vis + GROUP - 1, keys, keyRow, hd);
      for (int i = 0; i < GROUP; i++) {
        softmax(scores[i], vis + i, scale);
      }
      weighted2(vis, values, hd);
      for (int i = 0; i < GROUP; i++) {
        System.arraycopy(acc[i], 0, out, outOffset + (r + i) * outStride, hd);
      }
    }
    for (; r < rows; r++) {
      int vis = visible0 + r;
      scores1(qkv, qOffset + r * qStride, vis, keys, keyRow, hd);
      softmax(scores[0], vis, scale);
      java.util.Arrays.fill(acc[0], 0, hd, 0f);
      weighted1(scores[0], acc[0], 0, vis, values, hd);
      System.arraycopy(acc[0], 0, out, outOffset + r * outStride, hd);
    }
  }

  /** {@code scores[i][p] = Σ_e q_i[e]·k_e[p]} for two rows, {@code p < n}, {@code e} in order. */
  private void scores2(float[] qkv, int q, int qStride, int n, float[][] keys, int keyRow, int hd) {
    float[] s0 = scores[0];
    float[] s1 = scores[1];
    java.util.Arrays.fill(s0, 0, n, 0f);
    java.util.Arrays.fill(s1, 0, n, 0f);
    int q0 = q;
    int q1 = q + qStride;
    int e = 0;
    for (; e + 3 < hd; e += 4) {
      float[] k0 = keys[keyRow + e];
      float[] k1 = keys[keyRow + e + 1];
      float[] k2 = keys[keyRow + e + 2];
      float[] k3 = keys[keyRow + e + 3];
      float a0 = qkv[q0 + e];
      float a1 = qkv[q0 + e + 1];
      float a2 = qkv[q0 + e + 2];
      float a3 = qkv[q0 + e + 3];
      float b0 = qkv[q1 + e];
      float b1 = qkv[q1 + e + 1];
      float b2 = qkv[q1 + e + 2];
      float b3 = qkv[q1 + e + 3];
      for (int p = 0; p < n; p++) {
        float x0 = k0[p];
        float x1 = k1[p];
        float x2 = k2[p];
        float x3 = k3[p];
        s0[p] = s0[p] + a0 * x0 + a1 * x1 + a2 * x2 + a3 * x3;
        s1[p] = s1[p] + b0 * x0 + b1 * x1 + b2 * x2 + b3 * x3;
      }
    }
    for (; e < hd; e++) {
      float[] k = keys[keyRow + e];
      float a = qkv[q0 + e];
      float b = qkv[q1 + e];
      for (int p = 0; p < n; p++) {
        float x = k[p];
        s0[p] += a * x;
        s1[p] += b * x;
      }
    }
  }

  /** One row's scores, same order of operations as {@link #scores2}. */
  private void scores1(float[] qkv, int q, int n, float[][] keys, int keyRow, int hd) {
    float[] s = scores[0];
    java.util.Arrays.fill(s, 0, n, 0f);
    int e = 0;
    for (; e + 3 < hd; e += 4) {
      float[] k0 = keys[keyRow + e];
      float[] k1 = keys[keyRow + e + 1];
      float[] k2 = keys[keyRow + e + 2];
      float[] k3 = keys[keyRow + e + 3];
      float a0 = qkv[q + e], a1 = qkv[q + e + 1], a2 = qkv[q + e + 2], a3 = qkv[q + e + 3];
      for (int p = 0; p < n; p++) {
        s[p] = s[p] + a0 * k0[p] + a1 * k1[p] + a2 * k2[p] + a3 * k3[p];
      }
    }
    for (; e < hd; e++) {
      float[] k = keys[keyRow + e];
      float a = qkv[q + e];
      for (int p = 0; p < n; p++) {
        s[p] += a * k[p];
      }
    }
  }

  /**
   * {@code s[p] ← exp(scale·s[p] − max) / Σ} for {@code p < n}: the exponentials by {@link
   * NextTokenHead#expShifted} (vectorized), the sum in double.
   */
  static void softmax(float[] s, int n, float scale) {
    float max = Float.NEGATIVE_INFINITY;
    for (int p = 0; p < n; p++) {
      float v = s[p] * scale;
      s[p] = v;
      max = Math.max(max, v);
    }
    NextTokenHead.expShifted(s, n, max);
    float inv = (float) (1.0 / NextTokenHead.sum(s, n));
    for (int p = 0; p < n; p++) {
      s[p] *= inv;
    }
  }

  /**
   * {@code acc[i] = Σ_{p < vis+i} w_i[p]·v_p} for the two rows (row {@code i} sees {@code vis + i}
   * positions): positions {@code p < vis} for both rows together, two per pass, then each row's
   * last ones alone; {@code p} in order for every row.
   */
  private void weighted2(int vis, float[][] values, int hd) {
    float[] w0 = scores[0];
    float[] w1 = scores[1];
    float[] o0 = acc[0];
    float[] o1 = acc[1];
    java.util.Arrays.fill(o0, 0, hd, 0f);
    java.util.Arrays.fill(o1, 0, hd, 0f);
    int p = 0;
    for (; p + 1 < vis; p += 2) {
      float[] v0 = values[p];
      float[] v1 = values[p + 1];
      float a0 = w0[p];
      float a1 = w0[p + 1];
      float b0 = w1[p];
      float b1 = w1[p + 1];
      for (int e = 0; e < hd; e++) {
        float x0 = v0[e];
        float x1 = v1[e];
        o0[e] = o0[e] + a0 * x0 + a1 * x1;
        o1[e] = o1[e] + b0 * x0 + b1 * x1;
      }
    }
    for (int i = 0; i < GROUP; i++) {
      weightedTail(scores[i], acc[i], p, vis + i, values, hd);
    }
  }

  /** {@code acc[e] += Σ_{from <= p < to} w[p]·v_p[e]}, one position at a time. */
  private static void weightedTail(
      float[] w, float[] acc, int from, int to, float[][] values, int hd) {
    for (int p = from; p < to; p++) {
      float a = w[p];
      float[] v = values[p];
      for (int e = 0; e < hd; e++) {
        acc[e] += a * v[e];
      }
    }
  }

  /** One row: positions {@code [from, to)}, four per pass, in order. */
  private static void weighted1(
      float[] w, float[] acc, int from, int to, float[][] values, int hd) {
    int p = from;
    for (; p + 3 < to; p += 4) {
      float[] v0 = values[p];
      float[] v1 = values[p + 1];
      float[] v2 = values[p + 2];
      float[] v3 = values[p + 3];
      float a0 = w[p], a1 = w[p + 1], a2 = w[p + 2], a3 = w[p + 3];
      for (int e = 0; e < hd; e++) {
        acc[e] = acc[e] + a0 * v0[e] + a1 * v1[e] + a2 * v2[e] + a3 * v3[e];
      }
    }
    weightedTail(w, acc, p, to, values, hd);
  }
}
