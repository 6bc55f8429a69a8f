package dev.winnow.jobs.curation.filter;

import static dev.winnow.jobs.curation.filter.StageDocs.doc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.ingest.serde.DocumentJson;
import dev.winnow.jobs.curation.CurationConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DecontaminateFilterTest {
  @TempDir Path dir;

  private DecontaminateFilter filter(List<String> fields) throws Exception {
    Path b = dir.resolve("bench.jsonl");
    Files.write(
        b,
        List.of(
            "{\"id\": \"q7\", \"question\": \"What is the boiling point of water at sea level in"
                + " degrees Celsius under standard pressure?\", \"answer\": \"100\"}",
            "{\"question\": \"Name the largest planet of the solar system.\", \"answer\": \"Jupiter\"}"));
    DecontaminateSection s = new DecontaminateSection();
    s.enabled = true;
    s.benchmarks = List.of(b.toString());
    s.fields = fields;
    s.validate("decontaminate");
    return new DecontaminateFilter(s);
  }

  @Test
  void aDocumentWithThirteenSharedWordsIsRejectedNamingTheMatch() throws Exception {
    var r =
        filter(List.of("question", "answer"))
            .apply(
                doc(
                    "d",
                    "Quiz: what is the BOILING point of water at sea level, in degrees celsius"
                        + " under standard pressure? 100."));
    assertEquals("decontaminate", r.stage);
    assertEquals("contaminated", r.rule);
    assertEquals(13.0, r.value);
    assertEquals(">= 13 consecutive words shared", r.threshold);
    var details = DocumentJson.mapper().readTree(r.details);
    assertEquals("bench.jsonl", details.path("benchmark").asText());
    assertEquals("q7", details.path("item").asText());
    assertEquals(
        "what is the boiling point of water at sea level in degrees celsius",
        details.path("ngram").asText());
  }

  @Test
  void twelveWordsPassAndAShortItemIsMatchedWholeWithItsLineAsId() throws Exception {
    DecontaminateFilter f = filter(List.of("question", "answer"));
    assertNull(
        f.apply(doc("d", "what is the boiling point of water at sea level in degrees fahrenheit")));
    var r =
        f.apply(doc("e", "Name the largest planet of the Solar System: Jupiter, says the book."));
    assertEquals("line 2", DocumentJson.mapper().readTree(r.details).path("item").asText());
    assertTrue(r.threshold.startsWith("whole item of 9 words"), r.threshold);
  }

  @Test
  void onlyTheListedFieldsAreMatched() throws Exception {
    // with fields [answer] the items are "100" and "Jupiter": one word each
    DecontaminateFilter f = filter(List.of("answer"));
    assertNull(
        f.apply(doc("d", "what is the boiling point of water at sea level in degrees celsius")));
    assertEquals("contaminated", f.apply(doc("e", "jupiter is big")).rule);
  }

  @Test
  void aMissingBenchmarkFileFailsAtBuildNamingIt() {
    DecontaminateSection s = new DecontaminateSection();
    s.enabled = true;
    s.benchmarks = List.of(dir.resolve("nope.jsonl").toString());
    var e = assertThrows(IllegalArgumentException.class, () -> new DecontaminateFilter(s));
    assertTrue(e.getMessage().contains("nope.jsonl"), e.getMessage());
    CurationConfig c = new CurationConfig();
    c.decontaminate.enabled = true;
    e = assertThrows(IllegalArgumentException.class, c::validate);
    assertTrue(e.getMessage().contains("decontaminate.benchmarks"), e.getMessage());
    CurationConfig c2 = new CurationConfig();
    c2.decontaminate.ngram = 0;
    e = assertThrows(IllegalArgumentException.class, c2::validate);
    assertTrue(e.getMessage().contains("decontaminate.ngram"), e.getMessage());
  }
}
