package dev.winnow.jobs.curation.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.winnow.ingest.Document;
import dev.winnow.jobs.common.DocRecord;
import dev.winnow.jobs.models.BundledModels;
import dev.winnow.jobs.models.SharedScorer;
import dev.winnow.kernels.engine.EngineOptions;
import dev.winnow.kernels.engine.ScoringEngines;
import dev.winnow.kernels.model.LoadedModel;
import dev.winnow.kernels.model.ModelLoader;
import dev.winnow.kernels.scoring.IfdScore;
import dev.winnow.kernels.scoring.InstructionDifficultyScorer;
import dev.winnow.kernels.scoring.InstructionDifficultyScorer.Pair;
import dev.winnow.kernels.scoring.ScoringEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class InstructionDifficultyFunctionTest {

  @Test
  void thePairIsReadFromTheConfiguredMetadataKeysOnlyWhenBothAreStrings() {
    Pair p =
        InstructionDifficultyFunction.pairOf(
            doc(Map.of("prompt", "Say hi.", "response", "Hi!")), "prompt", "response");
    assertEquals(new Pair("Say hi.", "Hi!"), p);
    assertEquals(
        new Pair("Q", "A"),
        InstructionDifficultyFunction.pairOf(
            doc(Map.of("instruction", "Q", "output", "A")), "instruction", "output"));
    assertNull(
        InstructionDifficultyFunction.pairOf(doc(Map.of()), "prompt", "response"), "no metadata");
    assertNull(
        InstructionDifficultyFunction.pairOf(
            doc(Map.of("prompt", "Say hi.")), "prompt", "response"),
        "no response");
    assertNull(
        InstructionDifficultyFunction.pairOf(
            doc(Map.of("prompt", "Say hi.", "response", 3)), "prompt", "response"),
        "a number is no response");
  }

  @Test
  void sharedBatchedScoresEqualTheScorerAloneAndAreAnnotated() throws Exception {
    List<Pair> pairs =
        List.of(
            new Pair("Translate to French: good morning", "bonjour"),
            new Pair("Name the capital of Australia.", "The capital of Australia is Canberra."),
            new Pair(
                "Summarise: the drought cut the wheat harvest in half.",
                "Drought halved the wheat harvest."),
            new Pair("", "An empty prompt gives an IFD of exactly one."),
            new Pair("Reply with one word.", "Yes"));
    IfdSection cfg = new IfdSection();
    cfg.batchSize = 4;
    cfg.threads = 1;
    dev.winnow.jobs.models.SharedPerJvm.Lease<SharedScorer<Pair, IfdScore>> shared =
        SharedScorer.instructionPairs(cfg);
    List<IfdScore> batched = new ArrayList<>();
    try {
      List<CompletableFuture<IfdScore>> futures =
          pairs.stream().map(shared.get().batcher()::submit).toList();
      for (CompletableFuture<IfdScore> f : futures) {
        batched.add(f.get());
      }
    } finally {
      shared.close();
    }
    LoadedModel m = ModelLoader.load(BundledModels.resolve(BundledModels.PROXY_MINI));
    try (ScoringEngine engine =
        ScoringEngines.open(m.weights(), EngineOptions.defaults().withThreads(1))) {
      InstructionDifficultyScorer alone =
          new InstructionDifficultyScorer(engine, m.requireTokenizer());
      for (int i = 0; i < pairs.size(); i++) {
        IfdScore a = alone.score(pairs.get(i).prompt(), pairs.get(i).response());
        assertEquals(a.conditionalNll(), batched.get(i).conditionalNll(), 1e-12, "pair " + i);
        assertEquals(a.unconditionalNll(), batched.get(i).unconditionalNll(), 1e-12, "pair " + i);
      }
    }
    assertEquals(1.0, batched.get(3).ifd(), 1e-12, "empty prompt");
    JsonNode ifd =
        DocumentJsonTree.winnow(
            InstructionDifficultyFunction.annotate(
                "{\"score\":{\"tokens\":9}}", batched.get(1), "proxy-mini"),
            "ifd");
    assertEquals(batched.get(1).ifd(), ifd.path("ifd").asDouble(), 1e-15);
    assertEquals(
        batched.get(1).conditionalPerplexity(), ifd.path("conditional_ppl").asDouble(), 1e-12);
    assertEquals(
        batched.get(1).unconditionalPerplexity(), ifd.path("response_ppl").asDouble(), 1e-12);
    assertEquals("proxy-mini", ifd.path("model").asText());
    JsonNode oneToken =
        DocumentJsonTree.winnow(
            InstructionDifficultyFunction.annotate(null, batched.get(4), "proxy-mini"), "ifd");
    assertEquals(1, batched.get(4).responseTokens(), "\"Yes\" is one r50k token");
    assertTrue(
        oneToken.path("ifd").isNull() && oneToken.path("conditional_ppl").isNumber(),
        "no IFD without an " + "unconditional score, written as null: " + oneToken);
  }

  private static DocRecord doc(Map<String, Object> meta) {
    return DocRecord.of(new Document("i1", "text", "test", meta), "t-0@1");
  }

  /** Reads one object of annotations text. */
  static final class DocumentJsonTree {
    static JsonNode winnow(String annotations, String name) throws Exception {
      return dev.winnow.ingest.serde.DocumentJson.mapper().readTree(annotations).path(name);
    }
  }
}
