package dev.winnow.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.winnow.ingest.Document;
import dev.winnow.ingest.serde.DocumentJson;
import dev.winnow.jobs.curation.CurationConfig;
import dev.winnow.jobs.demo.EmbeddedKafkaBroker;
import dev.winnow.jobs.demo.OutputTally;
import dev.winnow.kernels.engine.EngineOptions;
import dev.winnow.kernels.engine.ScoringEngines;
import dev.winnow.kernels.model.LoadedModel;
import dev.winnow.kernels.model.ModelLoader;
import dev.winnow.kernels.scoring.DocumentScore;
import dev.winnow.kernels.scoring.DocumentScorer;
import dev.winnow.kernels.scoring.ScoringEngine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The perplexity stage in the curation job: every kept document leaves with {@code
 * meta.winnow.score}, equal to what the scorer gives the same text alone, exactly once also across
 * a failure and restart while documents are in flight.
 */
class CurationScoringIT {

  @Test
  void keptDocumentsCarryTheirScoresExactlyOnceAcrossAFailure(@TempDir Path dir) throws Exception {
    List<Document> docs = new ArrayList<>();
    docs.addAll(SharedCorpora.read("news", 90));
    docs.addAll(SharedCorpora.read("web", 30));
    docs.addAll(SharedCorpora.read("udhr", 6));
    Path input = dir.resolve("input.jsonl");
    List<String> lines = new ArrayList<>();
    for (Document d : docs) {
      lines.add(DocumentJson.toJson(d));
    }
    Files.write(input, lines, StandardCharsets.UTF_8);
    try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
      String bootstrap = kafka.bootstrapServers();
      // failure: per source subtask: about a third of the way
      CurationConfig cfg = BoundedRun.config(bootstrap, "s", 300, 40);
      cfg.score.enabled = true;
      cfg.score.batchSize = 8;
      cfg.score.threads = 2;
      cfg.validate();
      BoundedRun.publish(cfg, input, dir);

      OutputTally t = BoundedRun.runExactlyOnce(cfg, docs.size());
      assertTrue(t.curated >= 40, "enough kept documents to check: " + t.curated);

      Map<String, JsonNode> curated = BoundedRun.curated(cfg);
      LoadedModel m = ModelLoader.load(SharedCorpora.root().resolve("models/proxy-mini"));
      try (ScoringEngine engine =
          ScoringEngines.open(m.weights(), EngineOptions.defaults().withThreads(2))) {
        DocumentScorer scorer = new DocumentScorer(engine, m.requireTokenizer());
        int checked = 0;
        for (JsonNode doc : curated.values()) {
          JsonNode score = doc.path("meta").path("winnow").path("score");
          assertEquals("proxy-mini", score.path("model").asText(), doc.get("id").asText());
          assertTrue(
              score.path("tokens").asInt() > 1 && score.path("ppl").asDouble() > 1,
              score.toString());
          if (checked++ < 12) {
            DocumentScore alone = scorer.score(doc.get("text").asText());
            assertEquals(alone.tokens(), score.path("tokens").asInt());
            assertEquals(
                alone.meanNll(), score.path("mean_nll").asDouble(), 1e-12, doc.get("id").asText());
            assertEquals(
                alone.perWordPerplexity(),
                score.path("ppl_word").asDouble(),
                1e-9 * alone.perWordPerplexity());
          }
        }
      }
    }
  }
}
