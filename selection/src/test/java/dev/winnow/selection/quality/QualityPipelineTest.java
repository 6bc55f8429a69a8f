package dev.winnow.selection.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QualityPipelineTest {

  /** A clean news-like document that passes all four filters with datatrove's defaults. */
  private static final String GOOD =
      String.join(
          "\n",
          "Farmers in the northern region say the late rains have helped crops recover after a dry winter.",
          "The state agriculture department expects the wheat harvest to be close to the ten-year average.",
          "Growers had feared that the drought would cut yields by half, but the outlook has improved.",
          "Prices at the local grain exchange rose slightly on Monday as buyers returned to the market.",
          "Officials will release a revised forecast with more detail at the end of the month.",
          "Local agronomists warn that soil moisture remains below normal in many western districts.");

  @Test
  void filtersRunInTheDocumentedOrder() {
    List<String> names =
        new QualityPipeline(new QualityConfig())
            .filters().stream().map(QualityFilter::name).toList();
    assertEquals(List.of("gopher_quality", "gopher_repetition", "c4", "fineweb"), names);
  }

  @Test
  void goodDocumentIsKeptUnchanged() {
    FilterOutcome outcome = new QualityPipeline(new QualityConfig()).apply(GOOD);
    assertTrue(outcome.isKept(), () -> outcome.toString());
    assertEquals(GOOD, outcome.text());
    assertEquals(Map.of(), outcome.removedLines());
  }

  @Test
  void firstRejectionWins() {
    // too short for Gopher and too few sentences for C4: Gopher quality runs first
    Rejection r = new QualityPipeline(new QualityConfig()).apply("Just one line.").rejection();
    assertEquals("gopher_quality", r.filter());
    assertEquals("gopher_short_doc", r.rule());
    assertEquals(3, r.value());
  }

  @Test
  void disabledFiltersDoNotRun() {
    QualityConfig c = new QualityConfig();
    c.gopherQuality.enabled = false;
    // a one-line document is one big top 2-gram: "Just one" covers 8 of 14 characters
    Rejection r = new QualityPipeline(c).apply("Just one line.").rejection();
    assertEquals("gopher_repetition", r.filter());
    assertEquals("top_2_gram", r.rule());

    c.gopherRepetition.enabled = false;
    r = new QualityPipeline(c).apply("Just one line.").rejection();
    assertEquals("c4", r.filter());
    assertEquals("too_few_sentences", r.rule());

    c.c4.enabled = false;
    c.fineWeb.enabled = false;
    assertTrue(new QualityPipeline(c).filters().isEmpty());
    assertEquals("Just one line.", new QualityPipeline(c).apply("Just one line.").text());
  }

  @Test
  void c4RewriteIsReturnedAndSeenByFineWeb() {
    String withJunk = "Crop report\n" + GOOD + "\nEnable JavaScript to view this page.\nShare";
    FilterOutcome outcome = new QualityPipeline(new QualityConfig()).apply(withJunk);
    assertTrue(outcome.isKept(), () -> outcome.toString());
    assertEquals(GOOD, outcome.text());
    assertEquals(Map.of("no_terminal_punc", 2, "javascript", 1), outcome.removedLines());

    // without C4 the junk lines stay (3 short lines of 9 are still under FineWeb's bound)
    QualityConfig noC4 = new QualityConfig();
    noC4.c4.enabled = false;
    assertEquals(withJunk, new QualityPipeline(noC4).apply(withJunk).text());
  }

  @Test
  void fineWebRejectsAfterC4() {
    // one short line repeated: too little for Gopher repetition, enough for FineWeb's
    // char_dup_ratio
    String dup = GOOD + "\nPrices rose again today.\nPrices rose again today.";
    FilterOutcome outcome = new QualityPipeline(new QualityConfig()).apply(dup);
    assertFalse(outcome.isKept());
    assertEquals("fineweb", outcome.rejection().filter());
    assertEquals("char_dup_ratio", outcome.rejection().rule());
  }
}
