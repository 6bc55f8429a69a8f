package dev.winnow.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.winnow.ingest.Document;
import dev.winnow.ingest.serde.DocumentJson;
import dev.winnow.jobs.curation.CurationConfig;
import dev.winnow.jobs.demo.EmbeddedKafkaBroker;
import dev.winnow.jobs.demo.OutputTally;
import dev.winnow.selection.budget.BudgetConfig;
import dev.winnow.selection.budget.BudgetSelector;
import dev.winnow.selection.budget.Candidate;
import dev.winnow.selection.budget.Decision;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The budget stage in the curation job: about the configured fraction of the scored documents is
 * kept, mostly the best ones, every dropped one is on {@code rejected} with {@code below budget},
 * its score and the threshold, a document without the score is rejected as such, and all of it
 * exactly once across a failure and restart (the selector and the documents held by its warm-up are
 * operator state).
 */
class CurationSelectIT {
  private static final String SCORE = "quality_score";

  @Test
  void keepsTheBudgetOfBestDocumentsExactlyOnceAcrossAFailure(@TempDir Path dir) throws Exception {
    List<Document> docs = new ArrayList<>();
    docs.addAll(SharedCorpora.read("news", 200));
    docs.addAll(SharedCorpora.read("web", 100));
    // a score that came with the input: a fixed pseudo-random number per document; every 25th
    // document has none
    Map<String, Double> scores = new HashMap<>();
    List<String> lines = new ArrayList<>();
    java.util.Random r = new java.util.Random(7);
    for (int i = 0; i < docs.size(); i++) {
      Document d = docs.get(i);
      Map<String, Object> meta = new LinkedHashMap<>(d.meta());
      if (i % 25 != 7) {
        double s = Math.round(r.nextGaussian() * 1e6) / 1e6;
        meta.put(SCORE, s);
        scores.put(d.id(), s);
      }
      lines.add(DocumentJson.toJson(new Document(d.id(), d.text(), d.source(), meta)));
    }
    Path input = dir.resolve("input.jsonl");
    Files.write(input, lines, StandardCharsets.UTF_8);

    try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
      String bootstrap = kafka.bootstrapServers();
      // failure: per source subtask: past the warm-up's first checkpoint, mid-run
      CurationConfig cfg = BoundedRun.config(bootstrap, "b", 200, 110);
      // this test is about the budget stage: let every document reach it
      BoundedRun.qualityFiltersOff(cfg);
      cfg.nearDedup.enabled = false;
      cfg.select.enabled = true;
      cfg.select.scoreField = "meta." + SCORE;
      cfg.select.lowerIsBetter = false;
      cfg.select.fraction = 0.3;
      cfg.select.warmup =
          200; // most of the run is held at the failure: the held documents are restored from state
      cfg.select.refreshEvery = 8;
      cfg.validate();
      BoundedRun.publish(cfg, input, dir);

      OutputTally t = BoundedRun.runExactlyOnce(cfg, docs.size());
      Set<String> exactDuplicates = new HashSet<>();
      t.rejections.forEach(
          (id, rej) -> {
            if (rej.path("stage").asText().equals("exact_dedup")) {
              exactDuplicates.add(id);
            }
          });

      // documents without the score: rejected as such, never kept
      long unscored =
          docs.stream()
              .filter(d -> !scores.containsKey(d.id()) && !exactDuplicates.contains(d.id()))
              .count();
      assertEquals(unscored, (long) t.rejectedPerRule.getOrDefault("missing score", 0L));
      // scored documents that reached the stage: kept or below budget, never anything else
      List<String> reached =
          docs.stream()
              .map(Document::id)
              .filter(id -> scores.containsKey(id) && !exactDuplicates.contains(id))
              .toList();
      long below = t.rejectedPerRule.getOrDefault("below budget", 0L);
      assertEquals(reached.size(), t.curated + below, "each scored document kept or below budget");
      assertEquals(
          0.3 * reached.size(),
          t.curated,
          0.08 * reached.size(),
          "about 30% kept: " + t.curated + " of " + reached.size());
      for (String id : t.curatedIds.keySet()) {
        assertTrue(scores.containsKey(id), "kept document " + id + " has a score");
      }
      for (Map.Entry<String, JsonNode> e : t.rejections.entrySet()) {
        JsonNode rej = e.getValue();
        if (rej.path("rule").asText().equals("below budget")) {
          assertEquals("select", rej.path("stage").asText());
          assertEquals(
              scores.get(e.getKey()),
              rej.path("value").asDouble(),
              0.0,
              "the score travels with the rejection");
          String thr = rej.path("threshold").asText();
          assertTrue(thr.startsWith(">= "), thr);
          assertTrue(
              scores.get(e.getKey()) < Double.parseDouble(thr.substring(3)),
              "dropped below the threshold it names: " + thr);
        }
      }
      // mostly the same documents as the exact top 30% over the same scores
      BudgetConfig exact = new BudgetConfig();
      exact.fraction = 0.3;
      List<Candidate> cands =
          reached.stream().map(id -> new Candidate(id, null, scores.get(id), 1)).toList();
      Set<String> best = new HashSet<>();
      for (Decision d : new BudgetSelector(exact).select(cands)) {
        if (d.kept()) {
          best.add(d.candidate().id());
        }
      }
      long overlap = t.curatedIds.keySet().stream().filter(best::contains).count();
      assertTrue(
          overlap >= 0.75 * Math.min(best.size(), t.curated),
          "streaming kept " + t.curated + ", exact top " + best.size() + ", overlap " + overlap);
    }
  }
}
