package dev.winnow.kernels.cpu;

import java.util.Arrays;

/**
 * Per-sequence cache of everything later tokens need: for each layer the keys (RoPE already
 * applied) and values of every cached position, plus each position's token id, position id and
 * final hidden state (after the last norm, from which its next-token distribution follows).
 *
 * <p>Layout chosen for attention as matrix products ({@link AttentionTiles}): per (layer, key/value
 * head) one row-major {@code [capacity, d_h]} array of keys, {@code keys[layer][head][position·d_h
 * + e]}, and one of values alike, so that a block of {@link AttentionTiles#KEY_BLOCK} positions is
 * a contiguous {@code [KEY_BLOCK, d_h]} operand of {@link MatrixProducts#gemm}. The capacity is
 * always a whole number of key blocks, so the block holding the last position is inside the array;
 * entries past {@link #length} are zero or earlier values (finite), which attention masks. Storage
 * grows by doubling; {@link #removeSpan} shifts later entries down and keeps them as they are.
 */
final class KvCache {
  private final int layers;
  private final int kvHeads;
  private final int headDim;
  private final int hiddenSize;
  float[][][] keys;
  float[][][] values;
  float[] hidden;
  int[] tokens;
  int[] positions;
  int length;

  KvCache(int layers, int kvHeads, int headDim, int hiddenSize, int initialCapacity) {
    this.layers = layers;
    this.kvHeads = kvHeads;
    this.headDim = headDim;
    this.hiddenSize = hiddenSize;
    keys = new float[layers][kvHeads][0];
    values = new float[layers][kvHeads][0];
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

  private void grow(int wanted) {
    int block = AttentionTiles.KEY_BLOCK;
    int cap = (wanted + block - 1) / block * block;
    for (int l = 0; l < layers; l++) {
      for (int h = 0; h < kvHeads; h++) {
        keys[l][h] = Arrays.copyOf(keys[l][h], cap * headDim);
        values[l][h] = Arrays.copyOf(values[l][h], cap * headDim);
      }
    }
    hidden = Arrays.copyOf(hidden, cap * hiddenSize);
    tokens = Arrays.copyOf(tokens, cap);
    positions = Arrays.copyOf(positions, cap);
  }

  /**
   * Stores the key and value of position {@code s} of a layer from {@code kv} (all key heads from
   * {@code keyOffset}, all value heads from {@code valueOffset}, {@code d_h} each).
   */
  void put(int layer, int s, float[] kv, int keyOffset, int valueOffset) {
    for (int h = 0; h < kvHeads; h++) {
      System.arraycopy(kv, keyOffset + h * headDim, keys[layer][h], s * headDim, headDim);
      System.arraycopy(kv, valueOffset + h * headDim, values[layer][h], s * headDim, headDim);
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
    int hd = headDim;
    for (int l = 0; l < layers; l++) {
      for (int h = 0; h < kvHeads; h++) {
        System.arraycopy(keys[l][h], to * hd, keys[l][h], from * hd, tail * hd);
        System.arraycopy(values[l][h], to * hd, values[l][h], from * hd, tail * hd);
      }
    }
    System.arraycopy(hidden, to * hiddenSize, hidden, from * hiddenSize, tail * hiddenSize);
    System.arraycopy(tokens, to, tokens, from, tail);
    System.arraycopy(positions, to, positions, from, tail);
    length -= removed;
  }
}
