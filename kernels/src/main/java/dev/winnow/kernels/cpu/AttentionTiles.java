package dev.winnow.kernels.cpu;

import java.util.Arrays;

/**
 * Causal attention of one tile of new rows of one sequence against that sequence's cached keys and
 * values, as matrix products through {@link MatrixProducts#gemm} (so {@code cblas_sgemm} on the
 * native backends): {@code out_i = softmax(scale · q_i · Kᵀ[0..visible_i)) · V[0..visible_i)},
 * where row {@code i} sees its own position and every cached one before it.
 *
 * <p>A tile is {@link #queryTokens} consecutive new tokens × the {@code group} query heads that
 * share one key/value head (grouped-query attention), stacked as the {@code M = tokens × group}
 * rows of one product ({@code [token][head]} order), padded with zero rows to a fixed {@code M}.
 * Keys and values are read in blocks of {@link #KEY_BLOCK} cached positions, each block a
 * contiguous {@code [KEY_BLOCK, d_h]} slice of the {@link KvCache}:
 *
 * <ol>
 *   <li>{@code S_b = Q · K_bᵀ}, one {@code [M, KEY_BLOCK] = [M, d_h] · [d_h, KEY_BLOCK]} product
 *       per key block {@code b} up to the last position any row of the tile sees;
 *   <li>per row, over its whole visible row of scores at once (not online): {@code s ← scale·s},
 *       the max, {@code exp(s − max)} ({@link NextTokenHead#expShifted}), the sum in double, and
 *       {@code p = exp/sum}; positions the row does not see get {@code p = 0} exactly;
 *   <li>{@code O = Σ_b P_b · V_b}, one {@code [M, d_h] = [M, KEY_BLOCK] · [KEY_BLOCK, d_h]} product
 *       per block, accumulated in block order ({@code beta = 1} after the first).
 * </ol>
 *
 * <p>Exactness (the engine's promise that a row's result depends neither on its batch, the other
 * documents, the thread count nor on how a session's appends were cut): every product has the same
 * shape whatever the tile (the rows padded, blocks at fixed cache positions), and a product's
 * output element depends on its own row and column alone; a row's softmax reads only its visible
 * scores; the blocks past a row's last visible position add {@code 0·v} to its output, which leaves
 * it unchanged (the cache holds only finite values there). So a new token gets the same bits in a
 * full pass, a packed batch and any session append.
 *
 * <p>Cost: the masked part of the diagonal blocks is computed and thrown away (at most one key
 * block plus one query tile per row); appending {@code n} tokens to a cache of {@code L} costs
 * {@code O(n·(L + n))}, in proportion to the new tokens.
 */
final class AttentionTiles {
  /** Cached positions per key block (and the {@link KvCache}'s capacity granule). */
  static final int KEY_BLOCK = 128;

  /** Rows per product: query tokens × heads of a group. */
  static final int TILE_ROWS = 64;

  private static final ThreadLocal<AttentionTiles> SCRATCH =
      ThreadLocal.withInitial(AttentionTiles::new);

  private float[] q = new float[0];
  private float[] s = new float[0];
  private float[] o = new float[0];

  private AttentionTiles() {}

  /** This thread's buffers. */
  static AttentionTiles scratch() {
    return SCRATCH.get();
  }

  /** New tokens per tile for {@code group} query heads per key/value head. */
  static int queryTokens(int group) {
    return Math.max(1, TILE_ROWS / group);
  }

  /**
   * Attention of new tokens {@code t < tokens} (at most {@link #queryTokens}{@code (group)}) for
   * the {@code group} query heads of one key/value head.
   *
   * @param qkv queries of token {@code t}, head {@code g} at {@code qkv[qOffset + t·qkvStride +
   *     g·hd ..+ hd)}
   * @param visible0 positions token 0 sees (token {@code t} sees {@code visible0 + t})
   * @param keys {@code [capacity, hd]} of this key/value head, capacity a multiple of {@link
   *     #KEY_BLOCK}
   * @param values likewise
   * @param out token {@code t}, head {@code g} to {@code out[outOffset + t·outStride + g·hd ..+
   *     hd)}
   */
  void run(
      MatrixProducts products,
      float[] qkv,
      int qOffset,
      int qkvStride,
      int tokens,
      int group,
      int hd,
      int visible0,
      float[] keys,
      float[] values,
      float scale,
      float[] out,
      int outOffset,
      int outStride) {
    int qt = queryTokens(group);
    if (tokens < 1 || tokens > qt) {
      throw new IllegalArgumentException(
          "illegal attention tile of " + tokens + " tokens: must be 1.." + qt);
    }
    int m = qt * group;
    int lastVisible = visible0 + tokens - 1;
    int blocks = (lastVisible + KEY_BLOCK - 1) / KEY_BLOCK;
    if ((long) blocks * KEY_BLOCK * hd > keys.length) {
      throw new IllegalStateException(
          "key cache of "
              + keys.length / hd
              + " positions is not a whole number of key blocks covering "
              + lastVisible);
    }
    int width = blocks * KEY_BLOCK;
    ensure(m, hd, width);
    int used = tokens * group;
    for (int t = 0; t < tokens; t++) {
      System.arraycopy(qkv, qOffset + t * qkvStride, q, t * group * hd, group * hd);
    }
    Arrays.fill(q, used * hd, m * hd, 0f);
    for (int b = 0; b < blocks; b++) {
      products.gemm(
          false,
          true,
          m,
          KEY_BLOCK,
          hd,
          q,
          0,
          hd,
          keys,
          b * KEY_BLOCK * hd,
          hd,
          0f,
          s,
          b * KEY_BLOCK,
          width);
    }
    for (int r = 0; r < m; r++) {
      int row = r * width;
      if (r >= used) {
        Arrays.fill(s, row, row + width, 0f);
        continue;
      }
      int vis = visible0 + r / group;
      softmax(s, row, vis, scale);
      Arrays.fill(s, row + vis, row + width, 0f);
    }
    for (int b = 0; b < blocks; b++) {
      products.gemm(
          false,
          false,
          m,
          hd,
          KEY_BLOCK,
          s,
          b * KEY_BLOCK,
          width,
          values,
          b * KEY_BLOCK * hd,
          hd,
          b == 0 ? 0f : 1f,
          o,
          0,
          hd);
    }
    for (int t = 0; t < tokens; t++) {
      System.arraycopy(o, t * group * hd, out, outOffset + t * outStride, group * hd);
    }
  }

  private void ensure(int m, int hd, int width) {
    if (q.length < m * hd) {
      q = new float[m * hd];
      o = new float[m * hd];
    }
    if (s.length < m * width) {
      s = new float[Math.max(m * width, 2 * s.length)];
    }
  }

  private float[] exps = new float[0];

  /**
   * {@code x[from + p] ← exp(scale·x[from + p] − max) / Σ} for {@code p < n}: the exponentials by
   * {@link NextTokenHead#expShifted} (vectorized), the sum in double. The row is worked on in a
   * buffer at offset 0, where C2 vectorizes the loops (see {@link Activations}).
   */
  private void softmax(float[] x, int from, int n, float scale) {
    if (exps.length < n) {
      exps = new float[Math.max(n, 2 * exps.length)];
    }
    float[] e = exps;
    System.arraycopy(x, from, e, 0, n);
    for (int p = 0; p < n; p++) {
      e[p] *= scale;
    }
    float max = max(e, n);
    NextTokenHead.expShifted(e, n, max);
    float inv = (float) (1.0 / NextTokenHead.sum(e, n));
    for (int p = 0; p < n; p++) {
      e[p] *= inv;
    }
    System.arraycopy(e, 0, x, from, n);
  }

  /** The largest of {@code e[0..n)}, with four independent running maxima. */
  private static float max(float[] e, int n) {
    float m0 = Float.NEGATIVE_INFINITY;
    float m1 = m0;
    float m2 = m0;
    float m3 = m0;
    int p = 0;
    for (; p + 3 < n; p += 4) {
      m0 = Math.max(m0, e[p]);
      m1 = Math.max(m1, e[p + 1]);
      m2 = Math.max(m2, e[p + 2]);
      m3 = Math.max(m3, e[p + 3]);
    }
    for (; p < n; p++) {
      m0 = Math.max(m0, e[p]);
    }
    return Math.max(Math.max(m0, m1), Math.max(m2, m3));
  }
}
