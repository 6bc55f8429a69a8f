package dev.winnow.selection.decontam;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import net.openhft.hashing.LongHashFunction;

/**
 * An index of the word n-grams of benchmark items, for decontamination: a document that shares an
 * n-gram of {@link NgramWords} with an item is contaminated by it (GPT-3's and datatrove's rule, n
 * = 13 by default); an item shorter than n words is matched whole (its whole word sequence
 * appearing in the document).
 *
 * <p>An n-gram is kept as a 64-bit hash: each word's XXH3 hash, combined over the n words as a
 * polynomial rolled along the text (one multiply-add per word). The table is open addressing over
 * two arrays (the hash, the item's index: 12 bytes a slot), between a quarter and half full: 24 to
 * 48 bytes per distinct n-gram, plus the item's id once ({@link #bytes()} reports the total). With
 * n-grams per item = words − n + 1, an item of 60 words costs 48 n-grams, 1.1 to 2.3 KiB. A false
 * match needs two different 13-grams with the same 64-bit hash: about 10^8 stored keys against one
 * looked-up n-gram makes that a 5 · 10^-12 chance per look-up.
 *
 * <p>Not thread-safe while items are added; {@link #match} is safe from any number of threads once
 * adding is done.
 */
public final class BenchmarkIndex {
  private static final long P = 0x9E3779B97F4A7C15L | 1; // odd multiplier of the rolling hash
  private static final LongHashFunction XXH3 = LongHashFunction.xx3();

  private final int n;
  private final long pPowN1; // P^(n-1)
  private long[] keys = new long[1 << 10];
  private int[] vals = new int[1 << 10];
  private int size;
  private boolean hasZero; // the key 0 marks empty slots; a real 0 is kept apart
  private int zeroVal;
  private final TreeSet<Integer> shortLengths = new TreeSet<>();
  private final List<String> benchmarks = new ArrayList<>();
  private final List<String> ids = new ArrayList<>();
  private final List<Integer> benchmarkOf = new ArrayList<>();

  /** A match: the item's benchmark and id, and the document's matched words joined by spaces. */
  public record Match(String benchmark, String itemId, String ngram, int words) {}

  public BenchmarkIndex(int n) {
    if (n < 1 || n > 1000) {
      throw new IllegalArgumentException("illegal n-gram size " + n + ": must be in [1, 1000]");
    }
    this.n = n;
    long p = 1;
    for (int i = 1; i < n; i++) {
      p *= P;
    }
    this.pPowN1 = p;
  }

  public int n() {
    return n;
  }

  /** Items added. */
  public int items() {
    return ids.size();
  }

  /** Distinct n-grams (and whole short items) in the table. */
  public int keys() {
    return size + (hasZero ? 1 : 0);
  }

  /** Heap bytes of the table and the item names (Java's string layout, compact strings). */
  public long bytes() {
    long b = keys.length * 12L;
    for (String id : ids) {
      b += 40 + id.length();
    }
    return b + ids.size() * 8L;
  }

  /**
   * Adds the item {@code id} of {@code benchmark} with text {@code text}; returns false (and adds
   * nothing) when the text has no words.
   */
  public boolean add(String benchmark, String id, String text) {
    long[] w = wordHashes(NgramWords.of(text));
    if (w.length == 0) {
      return false;
    }
    int bench = benchmarks.indexOf(benchmark);
    if (bench < 0) {
      bench = benchmarks.size();
      benchmarks.add(benchmark);
    }
    int item = ids.size();
    ids.add(id);
    benchmarkOf.add(bench);
    if (w.length < n) {
      shortLengths.add(w.length);
      put(seqHash(w, 0, w.length), item);
      return true;
    }
    long h = seqHash(w, 0, n);
    put(h, item);
    for (int i = n; i < w.length; i++) {
      h = roll(h, w[i - n], w[i]);
      put(h, item);
    }
    return true;
  }

  /** The first n-gram of {@code text} (in text order) that some item has, if any. */
  public Optional<Match> match(String text) {
    List<String> words = NgramWords.of(text);
    long[] w = wordHashes(words);
    if (w.length >= n && (size > 0 || hasZero)) {
      long h = seqHash(w, 0, n);
      for (int i = 0; ; i++) {
        int item = get(h);
        if (item >= 0) {
          return Optional.of(match(item, words, i, n));
        }
        if (i + n >= w.length) {
          break;
        }
        h = roll(h, w[i], w[i + n]);
      }
    }
    for (int len : shortLengths) {
      if (len > w.length) {
        break;
      }
      for (int i = 0; i + len <= w.length; i++) {
        int item = get(seqHash(w, i, len));
        if (item >= 0) {
          return Optional.of(match(item, words, i, len));
        }
      }
    }
    return Optional.empty();
  }

  private Match match(int item, List<String> words, int from, int len) {
    return new Match(
        benchmarks.get(benchmarkOf.get(item)),
        ids.get(item),
        String.join(" ", words.subList(from, from + len)),
        len);
  }

  private static long[] wordHashes(List<String> words) {
    long[] w = new long[words.size()];
    for (int i = 0; i < w.length; i++) {
      w[i] = XXH3.hashChars(words.get(i));
    }
    return w;
  }

  /**
   * Σ w_i · P^(len-1-i) over the words; the length is mixed in so short items of any length differ.
   */
  private static long seqHash(long[] w, int from, int len) {
    long h = 0;
    for (int i = from; i < from + len; i++) {
      h = h * P + w[i];
    }
    return h;
  }

  private long roll(long h, long out, long in) {
    return (h - out * pPowN1) * P + in;
  }

  private void put(long key, int item) {
    if (key == 0) {
      if (!hasZero) {
        hasZero = true;
        zeroVal = item;
      }
      return;
    }
    if ((size + 1) * 2 > keys.length) {
      grow();
    }
    int s = slot(key, keys.length - 1);
    while (keys[s] != 0) {
      if (keys[s] == key) {
        return; // the first item that had the n-gram keeps it
      }
      s = (s + 1) & (keys.length - 1);
    }
    keys[s] = key;
    vals[s] = item;
    size++;
  }

  private int get(long key) {
    if (key == 0) {
      return hasZero ? zeroVal : -1;
    }
    int mask = keys.length - 1;
    int s = slot(key, mask);
    long k;
    while ((k = keys[s]) != 0) {
      if (k == key) {
        return vals[s];
      }
      s = (s + 1) & mask;
    }
    return -1;
  }

  private static int slot(long key, int mask) {
    return (int) ((key ^ (key >>> 29)) * 0xBF58476D1CE4E5B9L >>> 33) & mask;
  }

  private void grow() {
    long[] oldK = keys;
    int[] oldV = vals;
    keys = new long[oldK.length * 2];
    vals = new int[oldK.length * 2];
    int mask = keys.length - 1;
    for (int i = 0; i < oldK.length; i++) {
      if (oldK[i] != 0) {
        int s = slot(oldK[i], mask);
        while (keys[s] != 0) {
          s = (s + 1) & mask;
        }
        keys[s] = oldK[i];
        vals[s] = oldV[i];
      }
    }
  }

  @Override
  public String toString() {
    return "BenchmarkIndex[n="
        + n
        + ", items="
        + items()
        + ", keys="
        + keys()
        + ", short lengths="
        + Arrays.toString(shortLengths.toArray())
        + "]";
  }
}
