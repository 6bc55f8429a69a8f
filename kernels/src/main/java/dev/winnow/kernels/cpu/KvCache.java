package dev.winnow.kernels.cpu;

import java.util.Arrays;

/**
 * Per-sequence cache of everything later tokens need: for each layer the keys (RoPE already
 * applied) and values of every cached position, plus each position's token id, position id and
 * final hidden state (after the last norm, from which its next-token distribution follows).
 *
 * <p>Layouts chosen for the attention loops (see {@link CpuForwardPass}): keys are stored
 * transposed, one array over positions per (key head, dimension), {@code keys[layer][head·d_h +
 * e][position]}, so that {@code q·k} for all positions is a run of {@code scores[s] += q[e] ·
 * k_e[s]}; values are one array per (layer, head, position), {@code
 * values[layer][head][position][e]}, so that the weighted sum is {@code out[e] += p · v[e]}. Both
 * inner loops index every array alike, which C2 vectorizes. Storage grows by doubling (value rows
 * are allocated then, not per token); {@link #removeSpan} shifts later entries down and keeps them
 * as they are.
 */
final class KvCache {
  private final int layers;
  private final int kvHeads;
  private final int headDim;
  private final int hiddenSize;
  float[][][] keys;
  float[][][][] values;
  float[] hidden;
  int[] tokens;
  int[] positions;
  int length;

  KvCache(int layers, int kvHeads, int headDim, int hiddenSize, int initialCapacity) {
    this.layers = layers;
    this.kvHeads = kvHeads;
    this.headDim = headDim;
    this.hiddenSize = hiddenSize;
    keys = new float[layers][kvHeads * headDim][0];
    values = new float[layers][kvHeads][0][];
    hidden = new float[0];
    tokens = new int[0];
    positions = new int[0];
    grow(Math.max(1, initialCapacity));
  }

  int capacity() {
    return tokens.length;
  }

  /** Makes room for {@code needed} positions in all. */
  void ensureCapacity(int needed) {
    if (needed > capacity()) {
      grow(Math.max(needed, capacity() * 2));
    }
  }

  private void grow(int cap) {
    int old = capacity();
    for (int l = 0; l < layers; l++) {
      for (int c = 0; c < keys[l].length; c++) {
        keys[l][c] = Arrays.copyOf(keys[l][c], cap);
      }
      for (int h = 0; h < kvHeads; h++) {
        values[l][h] = Arrays.copyOf(values[l][h], cap);
        for (int s = old; s < cap; s++) {
          values[l][h][s] = new float[headDim];
        }
      }
    }
    hidden = Arrays.copyOf(hidden, cap * hiddenSize);
    tokens = Arrays.copyOf(tokens, cap);
    positions = Arrays.copyOf(positions, cap);
  }

  /**
   * Stores the key and value of position {@code s} of a layer from {@code kv[offset..]} (keys then
   * values).
   */
  void put(int layer, int s, float[] kv, int keyOffset, int valueOffset) {
    float[][] k = keys[layer];
    for (int c = 0; c < k.length; c++) {
      k[c][s] = kv[keyOffset + c];
    }
    for (int h = 0; h < kvHeads; h++) {
      System.arraycopy(kv, valueOffset + h * headDim, values[layer][h][s], 0, headDim);
    }
  }

  /** Removes positions {@code [from, to)}; later entries move down unchanged. */
  void removeSpan(int from, int to) {
    if (from < 0 || to > length || from > to) {
      throw new IndexOutOfBoundsException(
          "illegal span ["
              + from
              + ", "
              + to
              + "): must satisfy 0 <= from <= to <= "
              + length
              + " (the cache length)");
    }
    int tail = length - to;
    int removed = to - from;
    if (removed == 0) {
      return;
    }
    for (int l = 0; l < layers; l++) {
      for (float[] k : keys[l]) {
        System.arraycopy(k, to, k, from, tail);
      }
      for (int h = 0; h < kvHeads; h++) {
        // rotate the row references so the removed rows are reused at the end
        float[][] rows = values[l][h];
        float[][] freed = Arrays.copyOfRange(rows, from, to);
        System.arraycopy(rows, to, rows, from, tail);
        System.arraycopy(freed, 0, rows, from + tail, removed);
      }
    }
    System.arraycopy(hidden, to * hiddenSize, hidden, from * hiddenSize, tail * hiddenSize);
    System.arraycopy(tokens, to, tokens, from, tail);
    System.arraycopy(positions, to, positions, from, tail);
    length -= removed;
  }
}
