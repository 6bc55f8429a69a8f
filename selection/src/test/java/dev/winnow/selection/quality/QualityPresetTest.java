package dev.winnow.selection.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the datatrove-0.10 preset changes, each on both presets, and the fineweb order. */
class QualityPresetTest {
  private static final String LONG_LINE =
      "A line that is long enough to never count as a short line in the filter";

  private static String rule(FilterOutcome o) {
    return o.isKept() ? "kept" : o.rejection().rule();
  }

  /** Sixty plain words with "the" three times and no other stop word. */
  private static String oneStopWordThrice() {
    List<String> words = new ArrayList<>(Collections.nCopies(57, "garden"));
    for (int i = 0; i < 57; i++) {
      words.set(i, List.of("garden", "river", "stone", "window", "market", "yellow").get(i % 6));
    }
    words.add(3, "the");
    words.add(20, "the");
    words.add(40, "the");
    return String.join(" ", words) + ".";
  }

  @Test
  void gopherCountsDistinctStopWordsIn010() {
    String text = oneStopWordThrice();
    GopherQualityConfig c = new GopherQualityConfig();
    assertEquals(
        "kept", rule(new GopherQualityFilter(c, QualityPreset.DATATROVE_2024).apply(text)));
    FilterOutcome o = new GopherQualityFilter(c, QualityPreset.DATATROVE_0_10).apply(text);
    assertEquals("gopher_enough_stop_words", rule(o));
    assertEquals(1.0, o.rejection().value());
  }

  @Test
  void distinctStopWordsOnBothSidesOfMinStopWordsIn010() {
    GopherQualityConfig c = new GopherQualityConfig();
    GopherQualityFilter v010 = new GopherQualityFilter(c, QualityPreset.DATATROVE_0_10);
    // "the" three times and "and" once: two distinct stop words, the default minimum
    String two = oneStopWordThrice().replaceFirst("market", "and");
    assertEquals("kept", rule(v010.apply(two)));
    // at minStopWords 3 the same text is one distinct stop word short
    c.minStopWords = 3;
    FilterOutcome o = new GopherQualityFilter(c, QualityPreset.DATATROVE_0_10).apply(two);
    assertEquals("gopher_enough_stop_words", rule(o));
    assertEquals(2.0, o.rejection().value());
    assertEquals("< 3", o.rejection().threshold());
    // 2024 counts the four occurrences: kept at 3 and 4, rejected at 5
    assertEquals("kept", rule(new GopherQualityFilter(c, QualityPreset.DATATROVE_2024).apply(two)));
    c.minStopWords = 5;
    assertEquals(
        "gopher_enough_stop_words",
        rule(new GopherQualityFilter(c, QualityPreset.DATATROVE_2024).apply(two)));
  }

  @Test
  void fineWebDropsBlankLinesIn010() {
    String text =
        String.join(
            "\n",
            LONG_LINE + " one.",
            "",
            "",
            LONG_LINE + " two.",
            "",
            "",
            "",
            LONG_LINE + " three.");
    FineWebQualityConfig c = new FineWebQualityConfig();
    // 2024: five blank lines of eight count as short lines (0.625, under the default 0.67); with
    // the threshold lowered to 0.6 the blank lines make it short_line_ratio, in 0.10 they are gone
    c.shortLineThr = 0.6;
    assertEquals(
        "short_line_ratio",
        rule(new FineWebQualityFilter(c, QualityPreset.DATATROVE_2024).apply(text)));
    assertEquals(
        "kept", rule(new FineWebQualityFilter(c, QualityPreset.DATATROVE_0_10).apply(text)));
    assertEquals(
        "empty", rule(new FineWebQualityFilter(c, QualityPreset.DATATROVE_0_10).apply(" \n\n  ")));
  }

  @Test
  void terminalPunctuationFastLookupAgreesWithTheSetOnEveryCodePoint() {
    int marks = 0;
    for (int cp = 1; cp <= Character.MAX_CODE_POINT; cp++) {
      if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
        continue;
      }
      final int c = cp;
      boolean want = TerminalPunctuation.inSet(c);
      String line = "word" + new String(Character.toChars(c));
      if (want != TerminalPunctuation.endsWithMark(line)) {
        assertEquals(want, TerminalPunctuation.endsWithMark(line), () -> Integer.toHexString(c));
      }
      marks += want ? 1 : 0;
    }
    assertEquals(TerminalPunctuation.size(), marks);
  }

  @Test
  void fineWebTerminalPunctuationIsMultiScriptWithoutQuotesIn010() {
    assertEquals(159, TerminalPunctuation.size());
    FineWebQualityConfig c = new FineWebQualityConfig();
    c.charDuplicatesRatio = 1.0; // the lines repeat: only the punctuation rule is under test
    // every line ends in an ideographic full stop: punctuation in 0.10, not in 2024
    String cjk = String.join("\n", Collections.nCopies(4, LONG_LINE + "\u3002"));
    assertEquals(
        "line_punct_ratio",
        rule(new FineWebQualityFilter(c, QualityPreset.DATATROVE_2024).apply(cjk)));
    assertEquals(
        "kept", rule(new FineWebQualityFilter(c, QualityPreset.DATATROVE_0_10).apply(cjk)));
    // every line ends in a quote: punctuation in 2024, not in 0.10
    String quoted = String.join("\n", Collections.nCopies(4, LONG_LINE + "\""));
    assertEquals(
        "kept", rule(new FineWebQualityFilter(c, QualityPreset.DATATROVE_2024).apply(quoted)));
    assertEquals(
        "line_punct_ratio",
        rule(new FineWebQualityFilter(c, QualityPreset.DATATROVE_0_10).apply(quoted)));
  }

  @Test
  void fineWebComparesStrictlyIn010() {
    // half the lines are short: at shortLineThr 0.5, 2024 (>=) rejects and 0.10 (>) keeps
    String text = String.join("\n", LONG_LINE + ".", "Short one.", LONG_LINE + "!", "Short two.");
    FineWebQualityConfig c = new FineWebQualityConfig();
    c.shortLineThr = 0.5;
    assertEquals(
        "short_line_ratio",
        rule(new FineWebQualityFilter(c, QualityPreset.DATATROVE_2024).apply(text)));
    assertEquals(
        "kept", rule(new FineWebQualityFilter(c, QualityPreset.DATATROVE_0_10).apply(text)));
    // and at 0.49 both reject
    c.shortLineThr = 0.49;
    assertEquals(
        "short_line_ratio",
        rule(new FineWebQualityFilter(c, QualityPreset.DATATROVE_0_10).apply(text)));
  }

  @Test
  void fineWebLinePunctAndCharDupRatiosAtTheirThresholdExactly() {
    // two of four lines end in terminal punctuation; the first line appears twice
    String text =
        String.join(
            "\n",
            LONG_LINE + " one.",
            LONG_LINE + " two",
            LONG_LINE + " one.",
            LONG_LINE + " four");
    FineWebQualityConfig c = new FineWebQualityConfig();
    c.charDuplicatesRatio = 1.0;
    c.linePunctThr = 0.5;
    // the ratio equals the threshold: 2024 (<=) rejects, 0.10 (<) keeps
    FilterOutcome old = new FineWebQualityFilter(c, QualityPreset.DATATROVE_2024).apply(text);
    assertEquals("line_punct_ratio", rule(old));
    assertEquals(0.5, old.rejection().value());
    assertEquals(
        "kept", rule(new FineWebQualityFilter(c, QualityPreset.DATATROVE_0_10).apply(text)));
    // just above it, 0.10 rejects too
    c.linePunctThr = 0.5 + 1e-9;
    FilterOutcome o = new FineWebQualityFilter(c, QualityPreset.DATATROVE_0_10).apply(text);
    assertEquals("line_punct_ratio", rule(o));
    assertTrue(o.rejection().threshold().startsWith("<"), o.rejection().threshold());

    // the duplicated line's share of the characters, measured with the rule at 0
    c.linePunctThr = 0;
    c.charDuplicatesRatio = 0;
    FilterOutcome measured = new FineWebQualityFilter(c, QualityPreset.DATATROVE_0_10).apply(text);
    assertEquals("char_dup_ratio", rule(measured));
    double share = measured.rejection().value();
    assertTrue(share > 0.2 && share < 0.3, "one line of four duplicated: " + share);
    c.charDuplicatesRatio = share;
    assertEquals(
        "char_dup_ratio",
        rule(new FineWebQualityFilter(c, QualityPreset.DATATROVE_2024).apply(text)),
        "2024 compares >=");
    assertEquals(
        "kept",
        rule(new FineWebQualityFilter(c, QualityPreset.DATATROVE_0_10).apply(text)),
        "0.10 compares >");
    c.charDuplicatesRatio = Math.nextDown(share);
    assertEquals(
        "char_dup_ratio",
        rule(new FineWebQualityFilter(c, QualityPreset.DATATROVE_0_10).apply(text)));
  }

  @Test
  void symbolRunsDashRunsAndReplacementCharactersIn010AsSpacyDoes() {
    // expected lists are what spaCy 3.8's blank English tokenizer gives for the same text
    String text =
        "*** _vampires_ ===== questions-- ---------- writer/director and/or 381(a)(1)"
            + " P&eacute;rez gonna gotta i. a\uFFFD\uFFFDb \uFFFD";
    assertEquals(
        List.of(
            "*",
            "*",
            "*",
            "_",
            "vampires",
            "_",
            "=",
            "=",
            "=",
            "=",
            "=",
            "questions--",
            "----------",
            "writer",
            "/",
            "director",
            "and/or",
            "381(a)(1",
            ")",
            "P&eacute;rez",
            "gon",
            "na",
            "got",
            "ta",
            "i.",
            "a",
            "\uFFFD",
            "\uFFFD",
            "b",
            "\uFFFD"),
        WordTokenizer.tokenize(text, true));
    // the 2024 preset keeps NLTK's rules
    assertEquals(
        List.of(
            "***",
            "_vampires_",
            "=====",
            "questions",
            "--",
            "--",
            "--",
            "--",
            "--",
            "--",
            "writer/director",
            "and/or",
            "381",
            "(",
            "a",
            ")",
            "(",
            "1",
            ")",
            "P",
            "&",
            "eacute",
            ";",
            "rez",
            "gonna",
            "gotta",
            "i.",
            "a\uFFFD\uFFFDb",
            "\uFFFD"),
        WordTokenizer.tokenize(text, false));
  }

  @Test
  void infixHyphensSplitIn010AsSpacyDoes() {
    assertEquals(
        List.of("ultra-low", "5-3", "205-pound"),
        WordTokenizer.tokenize("ultra-low 5-3 205-pound"));
    assertEquals(
        List.of("ultra", "-", "low", "5", "-", "3", "205", "-", "pound", "low-5", "--"),
        WordTokenizer.tokenize("ultra-low 5-3 205-pound low-5 --", true));
    // the pipeline of the 0.10 preset tokenizes that way: ten hyphenated pairs are 30 words there
    String text = String.join(" ", Collections.nCopies(10, "well-known")) + ".";
    QualityConfig c = new QualityConfig();
    c.preset = "datatrove-2024";
    c.gopherRepetition.enabled = false;
    c.gopherQuality.minDocWords = 20;
    assertEquals("gopher_short_doc", new QualityPipeline(c).apply(text).rejection().rule());
    c.preset = "datatrove-0.10";
    assertTrue(
        !"gopher_short_doc".equals(rule(new QualityPipeline(c).apply(text))),
        "20 words and more in 0.10");
  }

  @Test
  void finewebOrderRunsRepetitionFirst() {
    // short (Gopher quality) and one line repeated (Gopher repetition): the order decides the
    // reason
    String text = String.join("\n", Collections.nCopies(6, "the same line again and again"));
    QualityConfig c = new QualityConfig();
    c.preset = "datatrove-2024";
    assertEquals("gopher_quality", new QualityPipeline(c).apply(text).rejection().filter());
    c.order = "fineweb";
    assertEquals("gopher_repetition", new QualityPipeline(c).apply(text).rejection().filter());
  }

  @Test
  void presetAndOrderAreValidatedWithTheirPath() {
    QualityConfig c = new QualityConfig();
    c.preset = "datatrove-2023";
    var e = assertThrows(IllegalArgumentException.class, c::validate);
    assertTrue(e.getMessage().contains("quality.preset"), e.getMessage());
    QualityConfig d = new QualityConfig();
    d.order = "random";
    e = assertThrows(IllegalArgumentException.class, d::validate);
    assertTrue(e.getMessage().contains("quality.order"), e.getMessage());
  }
}
