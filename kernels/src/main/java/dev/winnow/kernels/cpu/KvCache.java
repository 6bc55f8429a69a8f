package dev.winnow.kernels.cpu;

import java.util.Arrays;

/**
 * Per-sequence cache of everything later tokens need: for each layer the keys (RoPE already
 * applied) and values of every cached position, plus each position's token id, position id and
 * final hidden state (after the last norm, from which its next-token distribution follows).
 * Storage grows by doubling; {@link #removeSpan} shifts later entries down and keeps them as they are.
 */
final class KvCache {
    private final int layers;
    private final int kvDim;
    private final int hiddenSize;
    float[][] keys;
    float[][] values;
    float[] hidden;
    int[] tokens;
    int[] positions;
    int length;

    KvCache(int layers, int kvDim, int hiddenSize, int initialCapacity) {
        this.layers = layers;
        this.kvDim = kvDim;
        this.hiddenSize = hiddenSize;
        int cap = Math.max(1, initialCapacity);
        keys = new float[layers][cap * kvDim];
        values = new float[layers][cap * kvDim];
        hidden = new float[cap * hiddenSize];
        tokens = new int[cap];
        positions = new int[cap];
    }

    int capacity() {
        return tokens.length;
    }

    /** Makes room for {@code needed} positions in all. */
    void ensureCapacity(int needed) {
        if (needed <= capacity()) {
            return;
        }
        int cap = Math.max(needed, capacity() * 2);
        for (int l = 0; l < layers; l++) {
            keys[l] = Arrays.copyOf(keys[l], cap * kvDim);
            values[l] = Arrays.copyOf(values[l], cap * kvDim);
        }
        hidden = Arrays.copyOf(hidden, cap * hiddenSize);
        tokens = Arrays.copyOf(tokens, cap);
        positions = Arrays.copyOf(positions, cap);
    }

    /** Removes positions {@code [from, to)}; later entries move down unchanged. */
    void removeSpan(int from, int to) {
        if (from < 0 || to > length || from > to) {
            throw new IndexOutOfBoundsException("illegal span [" + from + ", " + to + "): must satisfy 0 <= from <= to <= "
                    + length + " (the cache length)");
        }
        int tail = length - to;
        int removed = to - from;
        if (removed == 0) {
            return;
        }
        for (int l = 0; l < layers; l++) {
            System.arraycopy(keys[l], to * kvDim, keys[l], from * kvDim, tail * kvDim);
            System.arraycopy(values[l], to * kvDim, values[l], from * kvDim, tail * kvDim);
        }
        System.arraycopy(hidden, to * hiddenSize, hidden, from * hiddenSize, tail * hiddenSize);
        System.arraycopy(tokens, to, tokens, from, tail);
        System.arraycopy(positions, to, positions, from, tail);
        length -= removed;
    }
}
