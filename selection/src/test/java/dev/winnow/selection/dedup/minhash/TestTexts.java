package dev.winnow.selection.dedup.minhash;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Synthetic texts for the tests: random words from a fixed vocabulary, and edited copies. */
final class TestTexts {

  private TestTexts() {}

  static String word(int i) {
    // Distinct, pronounceable-ish tokens: "w" + base-26 letters of i.
    StringBuilder sb = new StringBuilder("w");
    int x = i;
    do {
      sb.append((char) ('a' + x % 26));
      x /= 26;
    } while (x > 0);
    return sb.toString();
  }

  static List<String> randomWords(SplittableRandom r, int count, int vocabulary) {
    List<String> words = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      words.add(word(r.nextInt(vocabulary)));
    }
    return words;
  }

  static String randomText(SplittableRandom r, int count) {
    return String.join(" ", randomWords(r, count, 50_000));
  }

  /** Replaces each word with probability {@code rate} by a random word. */
  static String substitute(SplittableRandom r, String text, double rate) {
    String[] words = text.split(" ");
    for (int i = 0; i < words.length; i++) {
      if (r.nextDouble() < rate) {
        words[i] = word(r.nextInt(50_000));
      }
    }
    return String.join(" ", words);
  }

  /**
   * Two random sets of 64-bit values with exactly {@code common} shared and {@code onlyA}/{@code
   * onlyB} private elements.
   */
  static long[][] setsWithOverlap(SplittableRandom r, int common, int onlyA, int onlyB) {
    long[] a = new long[common + onlyA];
    long[] b = new long[common + onlyB];
    for (int i = 0; i < common; i++) {
      long v = r.nextLong();
      a[i] = v;
      b[i] = v;
    }
    for (int i = 0; i < onlyA; i++) {
      a[common + i] = r.nextLong();
    }
    for (int i = 0; i < onlyB; i++) {
      b[common + i] = r.nextLong();
    }
    java.util.Arrays.sort(a);
    java.util.Arrays.sort(b);
    return new long[][] {a, b};
  }
}
