package dev.winnow.selection.quality;

import java.util.Arrays;

/**
 * An open-addressing hash table of word n-grams that stores no strings: an n-gram is named by its
 * start position in the word array and compared word by word, so counting the n-grams of a document
 * allocates three arrays instead of one joined {@code String} per position (the Gopher repetition
 * rules look at nine n-gram sizes per document; this loop is the hot path). Equality of word
 * sequences equals equality of datatrove's space-joined n-gram strings, as tokens never contain
 * whitespace.
 *
 * <p>The words are named once, when the table is built: each position gets its word's {@code
 * hashCode} and the position of the word's first occurrence as an id. The n-gram loops then read
 * two {@code int} arrays in order instead of following a pointer to a {@code String} per word per
 * n-gram size, and compare ids instead of calling {@code equals}; the hash of an n-gram is the same
 * as before, so the table's slots and every count are unchanged.
 */
final class NGramTable {

  private final int[] hashes; // hashCode of the word at each position
  private final int[] ids; // position of the first occurrence of the word at each position
  private final int[] slots; // start + 1 of the n-gram in each slot, 0 when empty
  private final int[] counts;
  private final int mask;
  private int n;
  private long powN; // MULT^n: what the first word of an n-gram contributes to its hash, per unit
  private int lastStart = -2; // the n-gram whose hash is in lastHash
  private long lastHash;
  private static final long MULT = 0x9E3779B97F4A7C15L;

  /** A table for the n-grams of {@code words}, for any n. */
  NGramTable(String[] words) {
    int capacity = Integer.highestOneBit(Math.max(4, words.length) * 2 - 1) << 1;
    this.slots = new int[capacity];
    this.counts = new int[capacity];
    this.mask = capacity - 1;
    this.hashes = new int[words.length];
    this.ids = new int[words.length];
    // the distinct words, by open addressing on their hash (slots is free until the first reset)
    for (int i = 0; i < words.length; i++) {
      String w = words[i];
      int h = w.hashCode();
      hashes[i] = h;
      int slot = (h ^ (h >>> 16)) * 0x9E3779B1 & mask;
      int id = i;
      while (slots[slot] != 0) {
        int j = slots[slot] - 1;
        if (hashes[j] == h && words[j].equals(w)) {
          id = j;
          break;
        }
        slot = (slot + 1) & mask;
      }
      if (id == i) {
        slots[slot] = i + 1;
      }
      ids[i] = id;
    }
    Arrays.fill(slots, 0);
  }

  /** Empties the table and sets the n-gram size for the following calls. */
  void reset(int ngramSize) {
    Arrays.fill(slots, 0);
    Arrays.fill(counts, 0);
    this.n = ngramSize;
    long p = 1;
    for (int k = 0; k < ngramSize; k++) {
      p *= MULT;
    }
    this.powN = p;
    this.lastStart = -2;
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

  /**
   * The n-gram's hash, {@code h = (h + hash(word)) * MULT} over its words, which is the polynomial
   * {@code Σ hash(word_k) · MULT^(n-k)} (mod 2^64): the hash of the next position follows from this
   * one in O(1) (drop the first word's term, shift, add the new word), and the loops visit
   * positions in order except after a repeat. The same value as the word-by-word loop.
   */
  private long hash(int start) {
    long h;
    if (start == lastStart) {
      return lastHash; // contains() then add() of the same n-gram
    } else if (start == lastStart + 1) {
      h = (lastHash - hashes[lastStart] * powN + hashes[start + n - 1]) * MULT;
    } else {
      h = 0;
      for (int k = 0; k < n; k++) {
        h = (h + hashes[start + k]) * MULT;
      }
    }
    lastStart = start;
    lastHash = h;
    return h;
  }

  private int find(int start) {
    long h = hash(start);
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
      if (ids[a + k] != ids[b + k]) {
        return false;
      }
    }
    return true;
  }
}
