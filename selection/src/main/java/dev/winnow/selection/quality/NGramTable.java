package dev.winnow.selection.quality;

import java.util.Arrays;

/**
 * An open-addressing hash table of word n-grams that stores no strings: an n-gram is named by its
 * start position in the word array and compared word by word, so counting the n-grams of a document
 * allocates three arrays instead of one joined {@code String} per position (the Gopher repetition
 * rules look at nine n-gram sizes per document; this loop is the hot path). Equality of word
 * sequences equals equality of datatrove's space-joined n-gram strings, as tokens never contain
 * whitespace.
 */
final class NGramTable {

  private final String[] words;
  private final int[] slots; // start + 1 of the n-gram in each slot, 0 when empty
  private final int[] counts;
  private final int mask;
  private int n;

  /** A table for the n-grams of {@code words}, for any n. */
  NGramTable(String[] words) {
    this.words = words;
    int capacity = Integer.highestOneBit(Math.max(4, words.length) * 2 - 1) << 1;
    this.slots = new int[capacity];
    this.counts = new int[capacity];
    this.mask = capacity - 1;
  }

  /** Empties the table and sets the n-gram size for the following calls. */
  void reset(int ngramSize) {
    Arrays.fill(slots, 0);
    Arrays.fill(counts, 0);
    this.n = ngramSize;
  }

  /**
   * Adds one occurrence of the n-gram starting at {@code start} and returns the slot it went into
   * ({@link #count(int)}, {@link #firstStart(int)} read it back).
   */
  int add(int start) {
    int slot = find(start);
    if (slots[slot] == 0) {
      slots[slot] = start + 1;
    }
    counts[slot]++;
    return slot;
  }

  /** Whether the n-gram starting at {@code start} is in the table. */
  boolean contains(int start) {
    return slots[find(start)] != 0;
  }

  int count(int slot) {
    return counts[slot];
  }

  /** Where the n-gram in {@code slot} first occurred. */
  int firstStart(int slot) {
    return slots[slot] - 1;
  }

  private int find(int start) {
    long h = 0;
    for (int k = 0; k < n; k++) {
      h = (h + words[start + k].hashCode()) * 0x9E3779B97F4A7C15L;
    }
    int slot = (int) (h ^ (h >>> 29)) & mask;
    while (slots[slot] != 0 && !sameGram(slots[slot] - 1, start)) {
      slot = (slot + 1) & mask;
    }
    return slot;
  }

  private boolean sameGram(int a, int b) {
    if (a == b) {
      return true;
    }
    for (int k = 0; k < n; k++) {
      if (!words[a + k].equals(words[b + k])) {
        return false;
      }
    }
    return true;
  }
}
