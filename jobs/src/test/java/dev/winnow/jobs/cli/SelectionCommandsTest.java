package dev.winnow.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.winnow.ingest.serde.DocumentJson;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dsir fit/score, select and curriculum on real text from ../shared/corpora. */
class SelectionCommandsTest {

  private static List<String> lines(String corpus, int from, int count) throws Exception {
    Path file = Path.of(System.getProperty("winnow.shared"), "corpora", corpus + ".jsonl.gz");
    List<String> out = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
      String line;
      int i = 0;
      while ((line = r.readLine()) != null && out.size() < count) {
        if (i++ >= from) {
          out.add(line);
        }
      }
    }
    return out;
  }

  private static List<JsonNode> read(Path file) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String l : Files.readAllLines(file)) {
      out.add(DocumentJson.mapper().readTree(l));
    }
    return out;
  }

  @Test
  void dsirFitScoreAndSelectPickNewsFromAMixedPool(@TempDir Path dir) throws Exception {
    Path target = dir.resolve("target.jsonl");
    Files.write(target, lines("news", 0, 1500));
    Path pool = dir.resolve("pool.jsonl");
    List<String> poolLines = new ArrayList<>(lines("news", 1500, 200));
    poolLines.addAll(lines("web", 0, 1200));
    poolLines.addAll(lines("reviews", 0, 400));
    poolLines.addAll(lines("prose", 0, 200));
    // a stream mixes its sources: the streaming threshold assumes no trend in score over time
    java.util.Collections.shuffle(poolLines, new java.util.Random(11));
    poolLines.add("{\"id\": \"broken\", \"text\": ");
    Files.write(pool, poolLines);
    Path model = dir.resolve("dsir.json");
    assertEquals(
        0,
        WinnowCli.execute(
            "dsir",
            "fit",
            "--target",
            target.toString(),
            "--raw",
            pool.toString(),
            "--output",
            model.toString()));
    JsonNode m = DocumentJson.mapper().readTree(model.toFile());
    assertEquals(10_000, m.path("config").path("buckets").asInt());
    assertEquals(1500, m.path("target").path("documents").asInt());
    assertEquals(2000, m.path("raw").path("documents").asInt());

    Path scored = dir.resolve("scored.jsonl.gz");
    assertEquals(
        0,
        WinnowCli.execute(
            "dsir",
            "score",
            "--model",
            model.toString(),
            "--input",
            pool.toString(),
            "--output",
            scored.toString()));
    Path scoredPlain = dir.resolve("scored.jsonl");
    try (var in = new GZIPInputStream(Files.newInputStream(scored))) {
      Files.write(scoredPlain, in.readAllBytes());
    }
    List<JsonNode> docs = read(scoredPlain);
    assertEquals(2000, docs.size());
    assertTrue(Files.readString(Path.of(scored + ".rejects.jsonl")).contains("pool.jsonl:2001"));

    // top 10% by weight (200 documents) should be mostly news
    Path kept = dir.resolve("kept.jsonl");
    assertEquals(
        0,
        WinnowCli.execute(
            "select",
            "--input",
            scoredPlain.toString(),
            "--output",
            kept.toString(),
            "--score-field",
            DsirCommand.WEIGHT_FIELD,
            "--fraction",
            "0.1"));
    List<JsonNode> k = read(kept);
    List<JsonNode> rejected = read(Path.of(kept + ".rejected.jsonl"));
    assertEquals(200, k.size());
    assertEquals(1800, rejected.size());
    long news = k.stream().filter(d -> d.path("id").asText().startsWith("news-")).count();
    assertTrue(news >= 180, "news among the top 10% by DSIR weight: " + news);
    double lowestKept =
        k.stream()
            .mapToDouble(d -> d.path("meta").path(DsirCommand.WEIGHT_FIELD).asDouble())
            .min()
            .orElseThrow();
    for (JsonNode r : rejected) {
      JsonNode rej = r.path("rejection");
      assertEquals("below budget", rej.path("reason").asText());
      assertEquals(
          r.path("meta").path(DsirCommand.WEIGHT_FIELD).asDouble(),
          rej.path("value").asDouble(),
          0.0);
      assertTrue(rej.path("value").asDouble() <= lowestKept);
      assertEquals(lowestKept, rej.path("threshold").asDouble(), 0.0);
    }

    // Gumbel sampling by DSIR weight: seeded, and still mostly news
    Path g1 = dir.resolve("g1.jsonl");
    Path g2 = dir.resolve("g2.jsonl");
    for (Path p : List.of(g1, g2)) {
      assertEquals(
          0,
          WinnowCli.execute(
              "select",
              "--input",
              scoredPlain.toString(),
              "--output",
              p.toString(),
              "--score-field",
              DsirCommand.WEIGHT_FIELD,
              "--budget-docs",
              "100",
              "--method",
              "gumbel",
              "--seed",
              "3"));
    }
    assertEquals(Files.readAllLines(g1), Files.readAllLines(g2));
    assertEquals(100, read(g1).size());

    // streaming: one pass, every document once, about 10% kept
    Path s = dir.resolve("s.jsonl");
    assertEquals(
        0,
        WinnowCli.execute(
            "select",
            "--input",
            scoredPlain.toString(),
            "--output",
            s.toString(),
            "--score-field",
            DsirCommand.WEIGHT_FIELD,
            "--fraction",
            "0.1",
            "--streaming"));
    Set<String> ids = new HashSet<>();
    read(s).forEach(d -> ids.add(d.path("id").asText()));
    int keptStreaming = ids.size();
    read(Path.of(s + ".rejected.jsonl")).forEach(d -> ids.add(d.path("id").asText()));
    assertEquals(2000, ids.size());
    assertTrue(keptStreaming > 150 && keptStreaming < 250, "streaming kept " + keptStreaming);
  }

  @Test
  void tokenBudgetsPerSourceAndBadInput(@TempDir Path dir) throws Exception {
    Path in = dir.resolve("in.jsonl");
    Files.write(
        in,
        List.of(
            "{\"id\":\"a\",\"text\":\"one two three\",\"source\":\"x\",\"meta\":{\"s\":3,\"tokens\":30}}",
            "{\"id\":\"b\",\"text\":\"four five\",\"source\":\"x\",\"meta\":{\"s\":2,\"tokens\":20}}",
            "{\"id\":\"c\",\"text\":\"six\",\"source\":\"y\",\"meta\":{\"s\":1,\"tokens\":10}}",
            "{\"id\":\"d\",\"text\":\"The cattle farmer says the market is strong.\",\"source\":\"y\",\"meta\":{\"s\":0.5}}",
            "{\"id\":\"e\",\"text\":\"no score\",\"source\":\"y\"}"));
    Path out = dir.resolve("out.jsonl");
    assertEquals(
        0,
        WinnowCli.execute(
            "select",
            "--input",
            in.toString(),
            "--output",
            out.toString(),
            "--score-field",
            "s",
            "--budget-tokens",
            "80",
            "--source-weight",
            "x=1",
            "--source-weight",
            "y=1"));
    // x gets 40 tokens: a (30) fits, b would not; y gets 40: c (10) and d (10 proxy-mini tokens)
    // fit
    assertEquals(
        List.of("a", "c", "d"), read(out).stream().map(d -> d.path("id").asText()).toList());
    assertEquals(
        List.of("b"),
        read(Path.of(out + ".rejected.jsonl")).stream().map(d -> d.path("id").asText()).toList());
    assertTrue(Files.readString(Path.of(out + ".rejects.jsonl")).contains("no numeric meta.s"));
    assertEquals(
        2,
        WinnowCli.execute(
            "select", "--input", in.toString(), "--output", out.toString(), "--score-field", "s"));
    assertEquals(
        1,
        WinnowCli.execute(
            "select",
            "--input",
            in.toString(),
            "--output",
            out.toString(),
            "--score-field",
            "s",
            "--budget-docs",
            "2",
            "--streaming"));
  }

  /** The file path of the curriculum job (the Kafka path is covered by CurriculumIT). */
  @Test
  void curriculumByPerplexityWritesMonotoneOrderedStages(@TempDir Path dir) throws Exception {
    Path in = dir.resolve("in.jsonl");
    List<String> mixed = new ArrayList<>(lines("news", 0, 40));
    mixed.addAll(lines("web", 0, 20));
    mixed.add(30, "{\"id\": \"broken\", \"text\": ");
    Files.write(in, mixed);
    Path in2 = dir.resolve("more.jsonl");
    Files.write(in2, lines("reviews", 0, 20));
    Files.write(dir.resolve("more2.jsonl"), lines("web", 20, 20));
    Path outDir = dir.resolve("cur");
    assertEquals(
        0,
        WinnowCli.execute(
            "curriculum",
            "--input",
            in.toString(),
            in2.toString(),
            dir.resolve("more2.jsonl").toString(),
            "--output-dir",
            outDir.toString(),
            "--measure",
            "perplexity",
            "--competence",
            "linear",
            "--c0",
            "0.25",
            "--stages",
            "4",
            "--shard-size",
            "10",
            "--threads",
            "2",
            "--parallelism",
            "2"));
    List<String> rejects = Files.readAllLines(outDir.resolve("rejects.jsonl"));
    assertEquals(1, rejects.size(), "the malformed line is rejected, with where and why");
    JsonNode reject = DocumentJson.mapper().readTree(rejects.get(0));
    assertEquals(in + ":31", reject.path("location").asText());
    assertTrue(reject.path("reason").asText().startsWith("malformed input: "), reject.toString());
    JsonNode manifest = DocumentJson.mapper().readTree(outDir.resolve("manifest.json").toFile());
    List<JsonNode> all = new ArrayList<>();
    for (JsonNode shard : manifest.path("shards")) {
      all.addAll(read(outDir.resolve(shard.asText())));
    }
    assertEquals(100, all.size());
    for (int r = 0; r < all.size(); r++) {
      JsonNode cur = all.get(r).path("meta").path("curriculum");
      assertEquals(r, cur.path("rank").asInt(), "shards in manifest order are in rank order");
      assertEquals(r / 25, cur.path("stage").asInt(), "linear c0 = 0.25, 4 stages: 25 per stage");
      assertEquals(
          all.get(r).path("meta").path("winnow").path("score").path("ppl").asDouble(),
          cur.path("difficulty").asDouble(),
          0.0,
          "the perplexity the job scored travels with the document");
      if (r > 0) {
        assertTrue(
            cur.path("difficulty").asDouble()
                >= all.get(r - 1).path("meta").path("curriculum").path("difficulty").asDouble());
      }
    }
    JsonNode stages = manifest.path("stages");
    for (int s = 0; s + 1 < stages.size(); s++) {
      assertTrue(
          stages.get(s).path("max_difficulty").asDouble()
              <= stages.get(s + 1).path("min_difficulty").asDouble());
    }
    assertTrue(Files.exists(outDir.resolve("stage-00-00002.jsonl")), "25 records in shards of 10");
    // the scores travel: re-running on the output (shards given in reverse) re-uses
    // meta.winnow.score.ppl without
    // loading a model (there is none at --model) and reproduces the order, ties included
    Path again = dir.resolve("again");
    List<Path> shards = new ArrayList<>();
    for (JsonNode shard : manifest.path("shards")) {
      shards.add(outDir.resolve(shard.asText()));
    }
    shards.sort(Comparator.reverseOrder());
    List<String> args =
        new ArrayList<>(
            List.of(
                "curriculum",
                "--output-dir",
                again.toString(),
                "--competence",
                "linear",
                "--c0",
                "0.25",
                "--model",
                dir.resolve("no-such-model").toString(),
                "--input"));
    shards.forEach(p -> args.add(p.toString()));
    assertEquals(0, WinnowCli.execute(args.toArray(String[]::new)));
    JsonNode m2 = DocumentJson.mapper().readTree(again.resolve("manifest.json").toFile());
    assertEquals(manifest.path("stages").toString(), m2.path("stages").toString());
    List<JsonNode> again2 = new ArrayList<>();
    for (JsonNode shard : m2.path("shards")) {
      again2.addAll(read(again.resolve(shard.asText())));
    }
    assertEquals(
        all.stream().map(d -> d.path("id").asText()).toList(),
        again2.stream().map(d -> d.path("id").asText()).toList());
  }
}
