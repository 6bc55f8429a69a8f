package dev.winnow.selection.dedup.minhash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.selection.dedup.minhash.MinHashConfig.ShingleKind;
import org.junit.jupiter.api.Test;

class ShinglerTest {

  @Test
  void wordShinglesCountDistinctNGrams() {
    Shingler s = new Shingler(ShingleKind.WORD, 3);
    assertEquals(3, s.shingleSet("one two three four five").length);
    // "a b a b a b" has 3-grams "a b a" and "b a b" only.
    assertEquals(2, s.shingleSet("a b a b a b").length);
  }

  @Test
  void wordShinglesIgnoreCasePunctuationAndSpacing() {
    Shingler s = new Shingler(ShingleKind.WORD, 2);
    assertArrayEquals(
        s.shingleSet("Hello, World! It's me."), s.shingleSet("hello world   it s\nME"));
  }

  @Test
  void wordOrderInsideAShingleMatters() {
    Shingler s = new Shingler(ShingleKind.WORD, 2);
    assertNotEquals(s.shingleSet("alpha beta")[0], s.shingleSet("beta alpha")[0]);
  }

  @Test
  void charShinglesCollapseWhitespaceAndCase() {
    Shingler s = new Shingler(ShingleKind.CHAR, 4);
    assertArrayEquals(s.shingleSet("The  cat\n\tsat"), s.shingleSet("  the cat sat "));
    assertEquals("the cat sat".length() - 4 + 1, s.shingleSet("the cat sat").length);
  }

  @Test
  void textsShorterThanOneShingleHaveNone() {
    assertEquals(0, new Shingler(ShingleKind.WORD, 5).shingleSet("only four words here").length);
    assertEquals(1, new Shingler(ShingleKind.WORD, 5).shingleSet("now five words are here").length);
    assertEquals(0, new Shingler(ShingleKind.CHAR, 24).shingleSet("short   text").length);
    assertEquals(0, new Shingler(ShingleKind.WORD, 1).shingleSet(" ,.; ").length);
  }

  @Test
  void shingleSetIsSortedAndDistinct() {
    long[] set = new Shingler(ShingleKind.CHAR, 3).shingleSet("abcabcabcabc xyz abc");
    for (int i = 1; i < set.length; i++) {
      assertTrue(set[i - 1] < set[i]);
    }
  }

  @Test
  void exactJaccardOfSortedSets() {
    assertEquals(2.0 / 4.0, Shingler.jaccard(new long[] {1, 2, 3}, new long[] {2, 3, 4}), 1e-12);
    assertEquals(0.0, Shingler.jaccard(new long[] {1}, new long[] {2}), 1e-12);
    assertEquals(1.0, Shingler.jaccard(new long[] {-5, 7}, new long[] {-5, 7}), 1e-12);
  }

  @Test
  void canonicalHashEqualForSameCanonicalText() {
    Shingler s = new Shingler(ShingleKind.WORD, 5);
    assertEquals(s.canonicalHash("Hi there!"), s.canonicalHash("hi   THERE"));
    assertNotEquals(s.canonicalHash("hi there"), s.canonicalHash("there hi"));
  }
}
