package dev.winnow.selection.quality;

import java.util.StringJoiner;

/**
 * Builders of synthetic documents with exactly known counts, for testing rules at their thresholds.
 */
final class TestTexts {

  private TestTexts() {}

  /** The i-th distinct filler word: "f" plus three letters, always 4 characters, all alphabetic. */
  static String filler(int i) {
    if (i < 0 || i >= 26 * 26 * 26) {
      throw new IllegalArgumentException("filler index out of range: " + i);
    }
    return "f" + (char) ('a' + i / 676) + (char) ('a' + (i / 26) % 26) + (char) ('a' + i % 26);
  }

  /**
   * {@code count} filler words starting at index {@code from}, joined by single spaces; distinct
   * while {@code from + count <= 17576}, then the sequence wraps around.
   */
  static String fillers(int from, int count) {
    StringJoiner j = new StringJoiner(" ");
    for (int i = 0; i < count; i++) {
      j.add(filler((from + i) % (26 * 26 * 26)));
    }
    return j.toString();
  }

  /** {@code s} repeated {@code times} times, joined by {@code sep}. */
  static String repeat(String s, int times, String sep) {
    StringJoiner j = new StringJoiner(sep);
    for (int i = 0; i < times; i++) {
      j.add(s);
    }
    return j.toString();
  }
}
