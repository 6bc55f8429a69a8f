package dev.winnow.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.winnow.ingest.serde.DocumentJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code winnow report --input DIR} over a real file-mode run: its counts are the run's. */
class ReportCommandTest {

  @Test
  void theReportOfAFileModeRunCountsWhatTheRunWrote(@TempDir Path dir) throws Exception {
    Path in = dir.resolve("in.jsonl");
    List<String> lines = new ArrayList<>();
    String para =
        "The council met on Tuesday to discuss the new school. Parents asked about the road and the"
            + " bus. The mayor said the plan would be ready in the spring, after the budget vote.";
    for (int i = 0; i < 60; i++) {
      lines.add(
          "{\"id\": \"d"
              + i
              + "\", \"source\": \"s"
              + (i % 3)
              + "\", \"text\": \"Meeting "
              + i
              + ". "
              + para
              + " "
              + para
              + "\"}");
    }
    lines.add(
        "{\"id\": \"dup\", \"source\": \"s0\", \"text\": \"Meeting 5. "
            + para
            + " "
            + para
            + "\"}");
    lines.add("{\"id\": \"short\", \"text\": \"too short\"}");
    lines.add("{\"id\": \"broken\",");
    Files.write(in, lines);
    Path out = dir.resolve("out");
    assertEquals(
        0,
        WinnowCli.execute(
            "curate", "--input", in.toString(), "--output", out.toString(), "--parallelism", "1"));
    JsonNode manifest = DocumentJson.mapper().readTree(out.resolve("manifest.json").toFile());
    Path report = dir.resolve("report");
    assertEquals(
        0, WinnowCli.execute("report", "--input", out.toString(), "--output", report.toString()));
    JsonNode json = DocumentJson.mapper().readTree(report.resolve("report.json").toFile());
    JsonNode counts = json.path("counts");
    assertEquals(lines.size(), counts.path("in").asLong(), counts.toString());
    assertEquals(manifest.path("out").asLong(), counts.path("in").asLong(), manifest.toString());
    assertEquals(1, counts.path("dead_lettered").asLong(), counts.toString());
    assertTrue(counts.path("rejected").asLong() >= 2, "the duplicate and the short one: " + counts);
    String html = Files.readString(report.resolve("report.html"));
    long perRule = 0;
    for (var e :
        (Iterable<java.util.Map.Entry<String, JsonNode>>) json.path("rejected_per_rule")::fields) {
      String[] stageRule = e.getKey().split("/", 2);
      String heading = stageRule[0] + ": " + stageRule[1] + " (" + e.getValue().asLong() + ")";
      assertTrue(html.contains(heading), "the rule's section with its count: " + heading);
      perRule += e.getValue().asLong();
    }
    assertEquals(counts.path("rejected").asLong(), perRule, "every rejection under its rule");
    assertEquals(
        manifest.path("rejected").path("records").asLong(), counts.path("rejected").asLong());
    assertTrue(Files.size(report.resolve("funnel.png")) > 1000, "the funnel is drawn");
  }
}
