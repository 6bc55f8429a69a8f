package dev.winnow.jobs.curriculum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.winnow.ingest.serde.DocumentJson;
import dev.winnow.selection.curriculum.Competence;
import dev.winnow.selection.curriculum.CurriculumPlanner;
import dev.winnow.selection.curriculum.DifficultyMeasure;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The curriculum job on files, by a measure that needs no model: order, stages, ties and rejects.
 */
class CurriculumJobTest {

  @Test
  void ordersFilesByLengthIntoPlannerSizedStagesWithTiesById(@TempDir Path dir) throws Exception {
    Random rnd = new Random(11);
    List<String> a = new ArrayList<>();
    List<String> b = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    double[] lengths = new double[300];
    for (int i = 0; i < 300; i++) {
      int words = 1 + rnd.nextInt(40); // many ties: 300 documents, 40 lengths
      String id = String.format("d%03d", (i * 7) % 300);
      ids.add(id);
      lengths[i] = words;
      (i % 3 == 0 ? a : b)
          .add(
              DocumentJson.toJson(
                  new dev.winnow.ingest.Document(
                      id, "w ".repeat(words).trim(), "t", java.util.Map.of())));
    }
    a.add(17, "{\"id\": \"x\", \"text\": 42}");
    b.add(5, "not json");
    Files.write(dir.resolve("a.jsonl"), a, StandardCharsets.UTF_8);
    Files.write(dir.resolve("b.jsonl"), b, StandardCharsets.UTF_8);

    CurriculumJobConfig cfg = new CurriculumJobConfig();
    cfg.inputFiles.add(dir.toString());
    cfg.outputDir = dir.resolve("out").toString();
    cfg.curriculum.measure = DifficultyMeasure.LENGTH;
    cfg.curriculum.competence = Competence.SQRT;
    cfg.curriculum.c0 = 0.1;
    cfg.curriculum.stages = 5;
    cfg.shardSize = 40;
    cfg.parallelism = 2;
    CurriculumSummary s =
        CurriculumJob.run(
            cfg, StreamExecutionEnvironment.getExecutionEnvironment(CurriculumJob.flinkConfig()));
    assertEquals(300, s.documents());
    assertEquals(2, s.deadLetters());

    JsonNode manifest = DocumentJson.mapper().readTree(dir.resolve("out/manifest.json").toFile());
    List<JsonNode> all = new ArrayList<>();
    for (JsonNode shard : manifest.path("shards")) {
      List<String> lines = Files.readAllLines(dir.resolve("out").resolve(shard.asText()));
      assertTrue(lines.size() <= 40, shard.asText());
      for (String l : lines) {
        all.add(DocumentJson.mapper().readTree(l));
      }
    }
    assertEquals(300, all.size());
    assertEquals(
        ids,
        new HashSet<>(all.stream().map(d -> d.path("id").asText()).toList()),
        "every document once");
    long[] ends = new CurriculumPlanner(cfg.curriculum).stageEnds(300);
    int[] perStage = new int[5];
    for (int r = 0; r < all.size(); r++) {
      JsonNode cur = all.get(r).path("meta").path("curriculum");
      assertEquals(r, cur.path("rank").asLong());
      assertEquals(CurriculumPlanner.stageOf(r, ends), cur.path("stage").asInt());
      assertEquals("length", cur.path("measure").asText());
      assertEquals(
          DifficultyMeasure.words(all.get(r).path("text").asText()),
          cur.path("difficulty").asDouble(),
          0.0);
      perStage[cur.path("stage").asInt()]++;
      if (r > 0) {
        JsonNode prev = all.get(r - 1);
        double dp = prev.path("meta").path("curriculum").path("difficulty").asDouble();
        assertTrue(
            dp <= cur.path("difficulty").asDouble(),
            "rank "
                + r
                + " easier than rank "
                + (r - 1)
                + ": "
                + all.subList(0, Math.min(12, all.size())).stream()
                    .map(
                        d ->
                            d.path("meta").path("curriculum").path("difficulty").asText()
                                + "/"
                                + d.path("id").asText())
                    .toList());
        if (dp == cur.path("difficulty").asDouble()) {
          assertTrue(
              prev.path("id").asText().compareTo(all.get(r).path("id").asText()) < 0,
              "ties by id at rank " + r);
        }
      }
    }
    // the same stage sizes as the in-memory planner on the same difficulties
    int[] expected = new int[5];
    new CurriculumPlanner(cfg.curriculum).plan(lengths).forEach(p -> expected[p.stage()]++);
    assertEquals(java.util.Arrays.toString(expected), java.util.Arrays.toString(perStage));
    for (int st = 0; st < 5; st++) {
      assertEquals(expected[st], manifest.path("stages").get(st).path("documents").asInt());
    }
    List<String> rejects = Files.readAllLines(dir.resolve("out/rejects.jsonl"));
    assertEquals(2, rejects.size());
    Set<String> where = new HashSet<>();
    for (String r : rejects) {
      JsonNode j = DocumentJson.mapper().readTree(r);
      where.add(j.path("location").asText());
      assertTrue(j.path("reason").asText().startsWith("malformed input: "), r);
    }
    assertEquals(Set.of(dir.resolve("a.jsonl") + ":18", dir.resolve("b.jsonl") + ":6"), where);
  }

  @Test
  void configErrorsNameTheField() {
    CurriculumJobConfig cfg = new CurriculumJobConfig();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, cfg::validate);
    assertTrue(e.getMessage().contains("inputTopic"), e.getMessage());
    cfg.inputTopic = "curated";
    cfg.outputTopic = "curriculum";
    e = assertThrows(IllegalArgumentException.class, cfg::validate);
    assertTrue(e.getMessage().contains("bootstrap"), e.getMessage());
    cfg.kafka.bootstrap = "localhost:9092";
    cfg.deadletterTopic = "curriculum-deadletter";
    cfg.shardSize = 0;
    e = assertThrows(IllegalArgumentException.class, cfg::validate);
    assertTrue(e.getMessage().contains("shardSize: value 0"), e.getMessage());
  }
}
