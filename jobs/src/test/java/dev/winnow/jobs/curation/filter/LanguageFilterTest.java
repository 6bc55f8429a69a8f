package dev.winnow.jobs.curation.filter;

import static dev.winnow.jobs.curation.filter.StageDocs.annotation;
import static dev.winnow.jobs.curation.filter.StageDocs.doc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.jobs.common.DocRecord;
import dev.winnow.jobs.common.RejectedRecord;
import dev.winnow.jobs.curation.CurationConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class LanguageFilterTest {
  private static final String ENGLISH =
      "The committee will meet again next week to discuss the new budget proposal and the plans"
          + " for the coming year.";
  private static final String GERMAN =
      "Der Ausschuss wird sich nächste Woche erneut treffen, um den neuen Haushaltsentwurf zu"
          + " beraten.";

  private static LanguageFilter filter(List<String> langs, double minScore) {
    LanguageSection s = new LanguageSection();
    s.enabled = true;
    s.languages = langs;
    s.minScore = minScore;
    s.validate("language");
    return new LanguageFilter(s);
  }

  @Test
  void annotatesEveryDocumentAndRejectsNothingWithoutALanguageList() throws Exception {
    LanguageFilter f = filter(List.of(), 0.65);
    DocRecord en = doc("en", ENGLISH);
    DocRecord de = doc("de", GERMAN);
    assertNull(f.apply(en));
    assertNull(f.apply(de));
    assertEquals("en", annotation(en, "language").path("lang").asText());
    assertEquals("de", annotation(de, "language").path("lang").asText());
    assertTrue(annotation(en, "language").path("score").asDouble() > 0.9);
  }

  @Test
  void aLanguageTheModelDoesNotHaveIsAClearError() {
    var e =
        assertThrows(
            IllegalArgumentException.class, () -> filter(List.of("en", "id"), 0.65).open());
    assertTrue(
        e.getMessage().contains("\"id\" is not a language of the built-in model"), e.getMessage());
    assertTrue(e.getMessage().contains("answers Indonesian text ms"), e.getMessage());
    filter(List.of("en", "ms"), 0.65).open(); // both listed: fine
  }

  @Test
  void rejectsOtherLanguagesWithTheLanguageAsValue() {
    LanguageFilter f = filter(List.of("en"), 0.65);
    assertNull(f.apply(doc("en", ENGLISH)));
    RejectedRecord r = f.apply(doc("de", GERMAN));
    assertEquals("language", r.stage);
    assertEquals("language", r.rule);
    assertEquals("de", r.valueText);
    assertEquals("in [en] with score >= 0.65", r.threshold);
  }

  @Test
  void scoreOnBothSidesOfMinScore() throws Exception {
    DocRecord probe = doc("p", ENGLISH);
    filter(List.of(), 0.65).apply(probe);
    double score = annotation(probe, "language").path("score").asDouble();
    // the annotation is rounded to 4 decimals: thresholds a little either side of the score
    assertNull(filter(List.of("en"), score - 0.001).apply(doc("a", ENGLISH)));
    RejectedRecord r = filter(List.of("en"), Math.min(1.0, score + 0.001)).apply(doc("b", ENGLISH));
    assertEquals("en", r.valueText, "listed language, but below minScore");
    assertTrue(r.value < score + 0.001);
  }

  @Test
  void configChecksNameTheFieldPath() {
    CurationConfig c = new CurationConfig();
    c.language.minScore = 1.5;
    var e = assertThrows(IllegalArgumentException.class, c::validate);
    assertTrue(e.getMessage().contains("language.minScore"), e.getMessage());
    CurationConfig c2 = new CurationConfig();
    c2.language.languages = List.of("English");
    e = assertThrows(IllegalArgumentException.class, c2::validate);
    assertTrue(e.getMessage().contains("language.languages[0]"), e.getMessage());
    CurationConfig c3 = new CurationConfig();
    c3.language.maxChars = 1;
    e = assertThrows(IllegalArgumentException.class, c3::validate);
    assertTrue(e.getMessage().contains("language.maxChars"), e.getMessage());
  }
}
