package dev.winnow.selection.normalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TextNormalizerTest {

  private final TextNormalizer normalizer = new TextNormalizer();

  @Test
  void composedAndDecomposedFormsNormalizeToTheSameNfcText() {
    String composed = "caf\u00e9 na\u00efve";
    String decomposed = "cafe\u0301 nai\u0308ve";
    assertNotEquals(composed, decomposed);
    assertEquals(composed, normalizer.normalize(decomposed));
    assertEquals(normalizer.normalize(composed), normalizer.normalize(decomposed));
  }

  @Test
  void lineEndingsBecomeLineFeeds() {
    assertEquals("a\nb\nc\nd\ne", normalizer.normalize("a\r\nb\rc\u2028d\u0085e"));
  }

  @Test
  void tabsAndUnicodeSpacesBecomeOneSpace() {
    assertEquals("a b c d e", normalizer.normalize("a\tb\u00a0c\u2003\u2009d \t  e"));
  }

  @Test
  void controlCharactersAreRemovedButNewlinesKept() {
    assertEquals("ab c\nd", normalizer.normalize("a\u0000b\u0007 c\u001b\nd\u007f\u0090\ufeff"));
  }

  @Test
  void linesAreTrimmedAndTheDocumentIsTrimmed() {
    assertEquals(
        "first line\nsecond line",
        normalizer.normalize("\n\n  first line  \n\t second line \t\n\n"));
  }

  @Test
  void paragraphBreaksSurviveAndLongerBlankRunsCollapseToOne() {
    assertEquals(
        "p1 l1\np1 l2\n\np2\n\np3", normalizer.normalize("p1 l1\np1 l2\n\np2\n\n\n\n   \n\t\np3"));
    assertEquals("a\n\nb", normalizer.normalize("a\r\n\r\n\r\nb"));
  }

  @Test
  void isIdempotent() {
    String messy = " x\u00a0\u00a0y\r\n\r\n\r\n z\t\u0301 ";
    String once = normalizer.normalize(messy);
    assertEquals(once, normalizer.normalize(once));
  }

  @Test
  void emptyAndBlankInputBecomeEmpty() {
    assertEquals("", normalizer.normalize(""));
    assertEquals("", normalizer.normalize(" \n\t\r\n \u00a0"));
  }

  @Test
  void nullIsRejectedWithAMessage() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> normalizer.normalize(null));
    assertEquals("text to normalize must not be null", e.getMessage());
  }
}
