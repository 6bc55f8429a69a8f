package dev.winnow.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.winnow.ingest.serde.DocumentJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BucketsCommandTest {

  private static List<String> buckets(Path out) throws Exception {
    List<String> b = new ArrayList<>();
    for (String l : Files.readAllLines(out)) {
      JsonNode n = DocumentJson.mapper().readTree(l);
      b.add(n.path("id").asText() + ":" + n.path("meta").path("ccnet_bucket").asText());
    }
    return b;
  }

  @Test
  void learnedAndGivenCutPoints(@TempDir Path dir) throws Exception {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i <= 10; i++) {
      lines.add(
          "{\"id\":\"d" + i + "\",\"text\":\"t\",\"meta\":{\"ppl_word\":" + (100 + 10 * i) + "}}");
    }
    lines.add("{\"id\":\"none\",\"text\":\"no score\"}");
    Path in = dir.resolve("in.jsonl");
    Files.write(in, lines);
    Path out = dir.resolve("out.jsonl");
    // numpy percentiles of 100..200: 30% → 130, 60% → 160
    assertEquals(
        0, WinnowCli.execute("buckets", "--input", in.toString(), "--output", out.toString()));
    List<String> b = buckets(out);
    assertEquals(
        List.of(
            "d0:head",
            "d1:head",
            "d2:head",
            "d3:head",
            "d4:middle",
            "d5:middle",
            "d6:middle",
            "d7:tail",
            "d8:tail",
            "d9:tail",
            "d10:tail",
            "none:tail"),
        b);
    assertEquals(
        0,
        WinnowCli.execute(
            "buckets",
            "--input",
            in.toString(),
            "--output",
            out.toString(),
            "--head-cut",
            "105",
            "--tail-cut",
            "195"));
    assertEquals("d0:head", buckets(out).get(0));
    assertEquals("d1:middle", buckets(out).get(1));
    assertEquals("d10:tail", buckets(out).get(10));
    assertEquals(
        1,
        WinnowCli.execute(
            "buckets", "--input", in.toString(), "--output", out.toString(), "--head-cut", "105"));
  }
}
