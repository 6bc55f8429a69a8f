package dev.winnow.selection.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class QualityConfigTest {

  private static String messageOf(QualityConfig config) {
    return assertThrows(IllegalArgumentException.class, config::validate).getMessage();
  }

  @Test
  void defaultsAreDatatroveDefaultsAndValid() {
    QualityConfig c = new QualityConfig();
    c.validate();
    assertEquals(50, c.gopherQuality.minDocWords);
    assertEquals(100_000, c.gopherQuality.maxDocWords);
    assertEquals(3.0, c.gopherQuality.minAvgWordLength);
    assertEquals(10.0, c.gopherQuality.maxAvgWordLength);
    assertEquals(0.1, c.gopherQuality.maxSymbolWordRatio);
    assertEquals(0.9, c.gopherQuality.maxBulletLinesRatio);
    assertEquals(0.3, c.gopherQuality.maxEllipsisLinesRatio);
    assertEquals(0.8, c.gopherQuality.maxNonAlphaWordsRatio);
    assertEquals(2, c.gopherQuality.minStopWords);
    assertEquals(
        java.util.List.of("the", "be", "to", "of", "and", "that", "have", "with"),
        c.gopherQuality.stopWords);
    assertEquals(0.3, c.gopherRepetition.dupLineFrac);
    assertEquals(0.3, c.gopherRepetition.dupParaFrac);
    assertEquals(0.2, c.gopherRepetition.dupLineCharFrac);
    assertEquals(0.2, c.gopherRepetition.dupParaCharFrac);
    assertEquals(Map.of(2, 0.2, 3, 0.18, 4, 0.16), c.gopherRepetition.topNGrams);
    assertEquals(
        Map.of(5, 0.15, 6, 0.14, 7, 0.13, 8, 0.12, 9, 0.11, 10, 0.10),
        c.gopherRepetition.dupNGrams);
    assertEquals(5, c.c4.minNumSentences);
    assertEquals(3, c.c4.minWordsPerLine);
    assertEquals(1000, c.c4.maxWordLength);
    assertTrue(
        c.c4.removeCitations
            && c.c4.filterNoTerminalPunct
            && c.c4.filterLoremIpsum
            && c.c4.filterJavascript
            && c.c4.filterCurlyBracket
            && c.c4.filterPolicy);
    assertEquals(0.12, c.fineWeb.linePunctThr);
    assertEquals(false, c.fineWeb.linePunctExcludeZero);
    assertEquals(0.67, c.fineWeb.shortLineThr);
    assertEquals(30, c.fineWeb.shortLineLength);
    assertEquals(0.01, c.fineWeb.charDuplicatesRatio);
    assertEquals(0.3, c.fineWeb.newLineRatio);
    assertTrue(
        c.gopherQuality.enabled && c.gopherRepetition.enabled && c.c4.enabled && c.fineWeb.enabled);
  }

  @Test
  void negativeCountNamesTheFieldPathValueAndRange() {
    QualityConfig c = new QualityConfig();
    c.gopherQuality.minDocWords = -1;
    assertEquals(
        "quality.gopherQuality.minDocWords = -1 is out of range: must be >= 0 (0 disables the rule)",
        messageOf(c));
  }

  @Test
  void minAboveMaxIsRejected() {
    QualityConfig c = new QualityConfig();
    c.gopherQuality.minAvgWordLength = 12;
    assertEquals(
        "quality.gopherQuality.minAvgWordLength = 12.0 is out of range: must be <= maxAvgWordLength (10.0)",
        messageOf(c));
  }

  @Test
  void blankStopWordIsRejected() {
    QualityConfig c = new QualityConfig();
    c.gopherQuality.stopWords.add(" ");
    assertEquals(
        "quality.gopherQuality.stopWords[8] = \" \" is invalid: must be a non-blank word",
        messageOf(c));
  }

  @Test
  void ratioAboveOneIsRejected() {
    QualityConfig c = new QualityConfig();
    c.gopherRepetition.dupLineFrac = 1.5;
    assertEquals(
        "quality.gopherRepetition.dupLineFrac = 1.5 is out of range: must be in [0, 1] (0 disables the rule)",
        messageOf(c));
  }

  @Test
  void badNGramEntriesAreRejected() {
    QualityConfig c = new QualityConfig();
    c.gopherRepetition.topNGrams = new TreeMap<>(Map.of(2, 1.2));
    assertEquals(
        "quality.gopherRepetition.topNGrams[2] = 1.2 is out of range: must be in [0, 1]",
        messageOf(c));
    c = new QualityConfig();
    c.gopherRepetition.dupNGrams = new TreeMap<>(Map.of(0, 0.1));
    assertEquals(
        "quality.gopherRepetition.dupNGrams has n-gram size 0: must be an integer >= 1",
        messageOf(c));
  }

  @Test
  void c4MinusOneDisablesButLowerIsRejected() {
    QualityConfig c = new QualityConfig();
    c.c4.minNumSentences = -1;
    c.validate();
    c.c4.maxWordLength = -2;
    assertEquals(
        "quality.c4.maxWordLength = -2 is out of range: must be >= -1 (-1 disables the rule)",
        messageOf(c));
  }

  @Test
  void fineWebNaNIsRejected() {
    QualityConfig c = new QualityConfig();
    c.fineWeb.newLineRatio = Double.NaN;
    assertEquals(
        "quality.fineWeb.newLineRatio = NaN is out of range: must be a finite number >= 0",
        messageOf(c));
  }

  @Test
  void missingSectionIsRejected() {
    QualityConfig c = new QualityConfig();
    c.fineWeb = null;
    assertEquals("quality.fineWeb must not be null", messageOf(c));
  }

  @Test
  void customPathPrefixesMessages() {
    QualityConfig c = new QualityConfig();
    c.fineWeb.shortLineLength = -5;
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> c.validate("jobs.curation.quality"));
    assertTrue(
        e.getMessage().startsWith("jobs.curation.quality.fineWeb.shortLineLength = -5"),
        e.getMessage());
  }

  @Test
  void pipelineValidatesItsConfig() {
    QualityConfig c = new QualityConfig();
    c.gopherQuality.maxBulletLinesRatio = -0.1;
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new QualityPipeline(c));
    assertTrue(
        e.getMessage().startsWith("quality.gopherQuality.maxBulletLinesRatio = -0.1"),
        e.getMessage());
  }

  @Test
  void configAndPipelineAreJavaSerializable() throws Exception {
    QualityConfig c = new QualityConfig();
    c.gopherQuality.minDocWords = 7;
    QualityConfig copy = roundTrip(c);
    assertEquals(7, copy.gopherQuality.minDocWords);
    QualityPipeline p = roundTrip(new QualityPipeline(new QualityConfig()));
    assertEquals(4, p.filters().size());
    assertEquals("gopher_short_doc", p.apply("too short").rejection().rule());
  }

  @SuppressWarnings("unchecked")
  private static <T> T roundTrip(T value) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (T) in.readObject();
    }
  }
}
