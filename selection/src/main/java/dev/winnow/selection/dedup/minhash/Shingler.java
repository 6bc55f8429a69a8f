package dev.winnow.selection.dedup.minhash;

import java.util.Arrays;
import net.openhft.hashing.LongHashFunction;

/**
 * Turns text into the set of its shingles, each shingle represented by a 64-bit XXH3 hash
 * (zero-allocation-hashing's {@link LongHashFunction#xx3(long)}).
 *
 * <p>Canonicalization for shingling only (the text itself is not changed, and this does not replace
 * the pipeline's normalizer, which runs before; it makes shingles robust to case and spacing):
 *
 * <ul>
 *   <li>{@link MinHashConfig.ShingleKind#WORD}: a word is a maximal run of letters or digits
 *       ({@link Character#isLetterOrDigit(int)}), lowercased with {@link
 *       Character#toLowerCase(int)}; everything else separates words. A shingle is n consecutive
 *       words: its hash is XXH3 over the n word hashes, so word order inside a shingle matters.
 *   <li>{@link MinHashConfig.ShingleKind#CHAR}: the text lowercased, every run of whitespace
 *       collapsed to one space, leading and trailing whitespace dropped. A shingle is n consecutive
 *       UTF-16 chars of that.
 * </ul>
 *
 * <p>The result is the <em>set</em> of shingle hashes, sorted ascending (signed) with duplicates
 * removed: the sorted form makes exact Jaccard a linear merge ({@link #jaccard(long[], long[])})
 * and lets MinHash skip repeated shingles. A text with fewer than n words (or chars) has no shingle
 * at all: the result is empty and the caller handles it as too short.
 *
 * <p>Not thread-safe: it reuses its buffers between calls. Use one per thread.
 */
public final class Shingler {

  private final MinHashConfig.ShingleKind kind;
  private final int n;
  private final LongHashFunction hash;

  /** Canonical chars (CHAR) or the current word's chars (WORD); grown on demand, reused. */
  private char[] chars = new char[256];

  /** Word hashes (WORD) or shingle hashes (both); grown on demand, reused. */
  private long[] words = new long[256];

  private long[] shingles = new long[256];

  public Shingler(MinHashConfig config) {
    this(config.shingle, config.n);
  }

  public Shingler(MinHashConfig.ShingleKind kind, int n) {
    if (n < 1) {
      throw new IllegalArgumentException("illegal shingle length n=" + n + ": must be at least 1");
    }
    this.kind = kind;
    this.n = n;
    // Shingle hashes do not depend on the MinHash seed on purpose: two configs that differ
    // only in permutations still see the same shingle sets (and the same exact Jaccard).
    this.hash = LongHashFunction.xx3(0x5EED_5417_61E5L);
  }

  /**
   * Sorted, distinct 64-bit hashes of the text's shingles; empty when the text is shorter than one
   * shingle.
   */
  public long[] shingleSet(CharSequence text) {
    int count = kind == MinHashConfig.ShingleKind.WORD ? wordShingles(text) : charShingles(text);
    if (count == 0) {
      return new long[0];
    }
    Arrays.sort(shingles, 0, count);
    int distinct = 1;
    for (int i = 1; i < count; i++) {
      if (shingles[i] != shingles[distinct - 1]) {
        shingles[distinct++] = shingles[i];
      }
    }
    return Arrays.copyOf(shingles, distinct);
  }

  /**
   * Hash of the canonical form of the text (the form shingles are cut from); used to exact-dedup
   * texts too short to shingle.
   */
  public long canonicalHash(CharSequence text) {
    if (kind == MinHashConfig.ShingleKind.CHAR) {
      int len = canonicalChars(text);
      return hash.hashChars(chars, 0, len);
    }
    int w = words(text);
    return hash.hashLongs(words, 0, w);
  }

  private int wordShingles(CharSequence text) {
    int w = words(text);
    if (w < n) {
      return 0;
    }
    int count = w - n + 1;
    ensureShingles(count);
    // One XXH3 call per shingle over n longs: O(w * n) work without building any string.
    for (int i = 0; i < count; i++) {
      shingles[i] = hash.hashLongs(words, i, n);
    }
    return count;
  }

  /**
   * Splits into words, hashing each lowercased word into {@link #words}; returns the word count.
   */
  private int words(CharSequence text) {
    int len = text.length();
    int w = 0;
    int wordLen = 0;
    for (int i = 0; i < len; ) {
      int cp = Character.codePointAt(text, i);
      i += Character.charCount(cp);
      if (Character.isLetterOrDigit(cp)) {
        int lower = Character.toLowerCase(cp);
        if (wordLen + 2 > chars.length) {
          chars = Arrays.copyOf(chars, chars.length * 2);
        }
        wordLen += Character.toChars(lower, chars, wordLen);
      } else if (wordLen > 0) {
        w = addWord(w, wordLen);
        wordLen = 0;
      }
    }
    if (wordLen > 0) {
      w = addWord(w, wordLen);
    }
    return w;
  }

  private int addWord(int w, int wordLen) {
    if (w == words.length) {
      words = Arrays.copyOf(words, words.length * 2);
    }
    words[w] = hash.hashChars(chars, 0, wordLen);
    return w + 1;
  }

  private int charShingles(CharSequence text) {
    int len = canonicalChars(text);
    if (len < n) {
      return 0;
    }
    int count = len - n + 1;
    ensureShingles(count);
    // XXH3 over each n-char window. A rolling hash would be O(len) instead of O(len * n), but
    // XXH3 on <= 128 bytes is a handful of multiplies, and its quality keeps the MinHash
    // estimate unbiased; signature computation, not this, dominates (k >> n).
    for (int i = 0; i < count; i++) {
      shingles[i] = hash.hashChars(chars, i, n);
    }
    return count;
  }

  /**
   * Writes the lowercased, whitespace-collapsed, trimmed text into {@link #chars}; returns its
   * length.
   */
  private int canonicalChars(CharSequence text) {
    int len = text.length();
    if (chars.length < len) {
      chars = new char[Math.max(len, chars.length * 2)];
    }
    int out = 0;
    boolean pendingSpace = false;
    for (int i = 0; i < len; i++) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        pendingSpace = out > 0;
        continue;
      }
      if (pendingSpace) {
        // Collapsing never lengthens the text, so out < len <= chars.length here.
        chars[out++] = ' ';
        pendingSpace = false;
      }
      chars[out++] = Character.toLowerCase(c);
    }
    return out;
  }

  private void ensureShingles(int count) {
    if (shingles.length < count) {
      shingles = new long[Math.max(count, shingles.length * 2)];
    }
  }

  /**
   * Exact Jaccard similarity |A ∩ B| / |A ∪ B| of two sorted, distinct hash sets, by one linear
   * merge. Two empty sets have similarity 1.
   */
  public static double jaccard(long[] a, long[] b) {
    if (a.length == 0 && b.length == 0) {
      return 1.0;
    }
    int inter = intersectionSize(a, b);
    return (double) inter / (a.length + b.length - inter);
  }

  /** |A ∩ B| of two sorted, distinct arrays. */
  public static int intersectionSize(long[] a, long[] b) {
    int i = 0;
    int j = 0;
    int inter = 0;
    while (i < a.length && j < b.length) {
      long x = a[i];
      long y = b[j];
      if (x == y) {
        inter++;
        i++;
        j++;
      } else if (x < y) {
        i++;
      } else {
        j++;
      }
    }
    return inter;
  }
}
