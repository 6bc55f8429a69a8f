package dev.winnow.bench.dedup;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * All pairs of sets with exact Jaccard similarity at or above a bound t, without comparing all
 * n(n−1)/2 pairs: the prefix filter of all-pairs similarity search (Chaudhuri, Ganti, Kaushik, "A
 * primitive operator for similarity joins in data cleaning", ICDE 2006; Bayardo, Ma, Srikant,
 * "Scaling up all pairs similarity search", WWW 2007).
 *
 * <p>Order every set's elements by one global order (ascending document frequency, so rare elements
 * come first). If J(x, y) ≥ t then x and y share an element within their first |x| − ⌈t|x|⌉ + 1 and
 * |y| − ⌈t|y|⌉ + 1 elements, and t|x| ≤ |y| ≤ |x|/t. Indexing only the prefixes and checking only
 * pairs that meet in them is therefore exact: every pair it does not report has J &lt; t. Each
 * candidate is verified with the exact Jaccard by a linear merge.
 */
final class ExactJaccardJoin {

  private ExactJaccardJoin() {}

  /** Pairs (key {@code (long) i << 32 | j}, i &lt; j) with J ≥ t, and their exact J. */
  static Map<Long, Double> pairsAtLeast(long[][] sets, double t) {
    int n = sets.length;
    // Global order: rank distinct elements by (frequency, value).
    int total = 0;
    for (long[] s : sets) {
      total += s.length;
    }
    long[] all = new long[total];
    int pos = 0;
    for (long[] s : sets) {
      System.arraycopy(s, 0, all, pos, s.length);
      pos += s.length;
    }
    Arrays.sort(all);
    int distinct = 0;
    int[] freq = new int[total];
    for (int i = 0; i < total; i++) {
      if (distinct == 0 || all[i] != all[distinct - 1]) {
        all[distinct++] = all[i];
      }
      freq[distinct - 1]++;
    }
    long[] values = Arrays.copyOf(all, distinct);
    long[] order = new long[distinct];
    for (int i = 0; i < distinct; i++) {
      order[i] = ((long) freq[i] << 32) | i;
    }
    Arrays.sort(order);
    int[] rankOf = new int[distinct];
    for (int r = 0; r < distinct; r++) {
      rankOf[(int) order[r]] = r;
    }
    int[][] ranked = new int[n][];
    for (int d = 0; d < n; d++) {
      int[] r = new int[sets[d].length];
      for (int i = 0; i < r.length; i++) {
        r[i] = rankOf[Arrays.binarySearch(values, sets[d][i])];
      }
      Arrays.sort(r);
      ranked[d] = r;
    }

    // Visit sets by increasing size: an indexed set y is never larger than x, so the length
    // filter is one comparison, |y| ≥ t|x|.
    Integer[] bySize = new Integer[n];
    for (int i = 0; i < n; i++) {
      bySize[i] = i;
    }
    Arrays.sort(bySize, (a, b) -> Integer.compare(sets[a].length, sets[b].length));

    // Postings as linked lists in flat arrays (head per rank, next per entry): no boxing.
    int[] head = new int[distinct];
    Arrays.fill(head, -1);
    int[] entryDoc = new int[16];
    int[] entryNext = new int[16];
    int entries = 0;
    int[] stamp = new int[n];
    Arrays.fill(stamp, -1);
    Map<Long, Double> out = new HashMap<>();
    for (int xi : bySize) {
      int[] x = ranked[xi];
      if (x.length == 0) {
        continue;
      }
      int prefix = x.length - (int) Math.ceil(t * x.length) + 1;
      for (int p = 0; p < prefix; p++) {
        for (int e = head[x[p]]; e >= 0; e = entryNext[e]) {
          int yi = entryDoc[e];
          if (stamp[yi] == xi || ranked[yi].length < t * x.length) {
            continue;
          }
          stamp[yi] = xi;
          double j = jaccard(x, ranked[yi]);
          if (j >= t) {
            out.put(pairKey(xi, yi), j);
          }
        }
      }
      for (int p = 0; p < prefix; p++) {
        if (entries == entryDoc.length) {
          entryDoc = Arrays.copyOf(entryDoc, entries * 2);
          entryNext = Arrays.copyOf(entryNext, entries * 2);
        }
        entryDoc[entries] = xi;
        entryNext[entries] = head[x[p]];
        head[x[p]] = entries++;
      }
    }
    return out;
  }

  static long pairKey(int a, int b) {
    return a < b ? ((long) a << 32) | b : ((long) b << 32) | a;
  }

  private static double jaccard(int[] a, int[] b) {
    int i = 0;
    int j = 0;
    int inter = 0;
    while (i < a.length && j < b.length) {
      if (a[i] == b[j]) {
        inter++;
        i++;
        j++;
      } else if (a[i] < b[j]) {
        i++;
      } else {
        j++;
      }
    }
    return (double) inter / (a.length + b.length - inter);
  }
}
