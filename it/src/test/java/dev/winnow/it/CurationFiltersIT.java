package dev.winnow.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.winnow.ingest.Document;
import dev.winnow.ingest.serde.DocumentJson;
import dev.winnow.jobs.curation.CurationConfig;
import dev.winnow.jobs.demo.EmbeddedKafkaBroker;
import dev.winnow.jobs.kafka.TopicReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17's filter stages in the curation job over a real broker and a Flink MiniCluster, all on
 * at once (url → language → quality (off) → words → decontaminate → pii → dedup), with a failure
 * injected mid-run: every document leaves exactly once, each planted case is dropped by its rule
 * (naming its match) or kept redacted, and every kept document carries its language.
 */
class CurationFiltersIT {

  @Test
  void filterStagesDropAndRedactExactlyOnceAcrossAFailure(@TempDir Path dir) throws Exception {
    List<Document> news = SharedCorpora.read("news", 200);
    List<Document> docs = new ArrayList<>();
    Map<String, String> expectedRule = new HashMap<>();
    Map<String, String> expectedItem = new HashMap<>();
    List<String> piiIds = new ArrayList<>();
    List<String> benchmark = new ArrayList<>();
    for (int i = 0; i < 140; i++) {
      Document d = news.get(i);
      String id = d.id();
      String text = d.text();
      Map<String, Object> meta = new HashMap<>(d.meta());
      meta.put("url", "https://news.example.org/story/" + i);
      if (i < 6) {
        meta.put("url", "https://www.spam.test/story/" + i);
        expectedRule.put(id, "url_domain");
      } else if (i < 12) {
        text = text + "\nWhat a darn shame.";
        expectedRule.put(id, "blocked_words");
      } else if (i < 22) {
        String question =
            "In the benchmark question number "
                + i
                + " which river flows through the city that hosted the games in question "
                + i
                + "?";
        benchmark.add("{\"id\": \"bq" + i + "\", \"question\": \"" + question + "\"}");
        // re-cased and re-wrapped inside the document
        text = text + "\n" + question.toUpperCase().replace(" which ", "\nwhich ");
        expectedRule.put(id, "contaminated");
        expectedItem.put(id, "bq" + i);
      } else if (i < 34) {
        text = text + "\nContact jane.doe" + i + "@example.com or pay with 4111 1111 1111 1111.";
        piiIds.add(id);
      }
      docs.add(new Document(id, text, d.source(), meta));
    }
    // translations: the language stage keeps English only
    List<Document> udhr = SharedCorpora.read("udhr", 300);
    for (Document u : udhr) {
      String src = u.source();
      if (src.contains("German_Deutsch")
          || src.contains("French_Francais")
          || src.contains("Russian-UTF8")
          || src.contains("Spanish-Latin1")) {
        String t = u.text().replace("\uFEFF", "").replaceAll("\\s+", " ");
        for (int k = 0; k < 5; k++) {
          String id = u.id() + "-" + k;
          docs.add(
              new Document(
                  id,
                  t.substring(1000 + 700 * k, 1600 + 700 * k),
                  "udhr",
                  Map.of("url", "https://un.example.org/" + id)));
          expectedRule.put(id, "language");
        }
      }
    }
    Collections.shuffle(docs, new Random(17));
    Path input = dir.resolve("input.jsonl");
    List<String> lines = new ArrayList<>();
    for (Document d : docs) {
      lines.add(DocumentJson.toJson(d));
    }
    Files.write(input, lines, StandardCharsets.UTF_8);
    Path bench = Files.write(dir.resolve("bench.jsonl"), benchmark);
    Path domains = Files.write(dir.resolve("domains.txt"), List.of("spam.test"));
    Path badWords = Files.write(dir.resolve("bad.txt"), List.of("darn"));

    try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
      CurationConfig cfg = BoundedRun.config(kafka.bootstrapServers(), "flt", 300, 40);
      BoundedRun.qualityFiltersOff(cfg);
      // news articles that are near-duplicates of each other must not blur the count of kept ones
      cfg.nearDedup.enabled = false;
      cfg.url.enabled = true;
      cfg.url.domainsFile = domains.toString();
      cfg.language.enabled = true;
      cfg.language.languages = List.of("en");
      cfg.words.enabled = true;
      cfg.words.file = badWords.toString();
      cfg.decontaminate.enabled = true;
      cfg.decontaminate.benchmarks = List.of(bench.toString());
      cfg.decontaminate.fields = List.of("question");
      cfg.pii.enabled = true;
      cfg.validate();
      BoundedRun.publish(cfg, input, dir);

      var tally = BoundedRun.runExactlyOnce(cfg, docs.size());
      assertEquals(0, tally.deadLettered, "no stage threw");

      Map<String, JsonNode> curated = BoundedRun.curated(cfg);
      Map<String, JsonNode> rejected = new HashMap<>();
      TopicReader.forEach(
          cfg.kafka.bootstrap,
          cfg.topics.rejected,
          r -> {
            try {
              JsonNode doc = DocumentJson.mapper().readTree(r.value());
              rejected.put(doc.get("id").asText(), doc.get("rejection"));
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
      for (var e : expectedRule.entrySet()) {
        JsonNode rej = rejected.get(e.getKey());
        assertTrue(rej != null, e.getKey() + " should be rejected by " + e.getValue());
        assertEquals(e.getValue(), rej.path("rule").asText(), e.getKey() + ": " + rej);
      }
      for (var e : expectedItem.entrySet()) {
        JsonNode rej = rejected.get(e.getKey());
        assertEquals(e.getValue(), rej.path("item").asText(), e.getKey() + ": " + rej);
        assertEquals("bench.jsonl", rej.path("benchmark").asText());
      }
      assertEquals("spam.test", rejected.get(news.get(0).id()).path("value").asText());
      assertEquals(
          docs.size() - expectedRule.size(),
          curated.size(),
          "everything else is kept: " + rejected);
      for (JsonNode d : curated.values()) {
        JsonNode w = d.path("meta").path("winnow");
        assertEquals("en", w.path("language").path("lang").asText(), d.get("id").asText());
        assertTrue(w.path("pii").isObject(), d.get("id").asText());
        String text = d.get("text").asText();
        assertFalse(text.contains("@example.com") || text.contains("4111 1111"), text);
      }
      for (String id : piiIds) {
        JsonNode d = curated.get(id);
        assertTrue(d.get("text").asText().contains("Contact <EMAIL> or pay with <CARD>."), id);
        assertEquals(1, d.path("meta").path("winnow").path("pii").path("email").asInt(), id);
        assertEquals(1, d.path("meta").path("winnow").path("pii").path("card").asInt(), id);
      }
    }
  }
}
