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

class DedupCommandTest {

  @Test
  void writesEveryDocumentOnceWithItsDecision(@TempDir Path dir) throws Exception {
    StringBuilder base = new StringBuilder();
    for (int i = 0; i < 120; i++) {
      base.append("word").append(i).append(i % 7 == 0 ? ". " : " ");
    }
    String a = base.toString().trim();
    String nearA = "Posted today. " + a.replace("word60", "changed");
    StringBuilder other = new StringBuilder();
    for (int i = 0; i < 120; i++) {
      other.append("token").append(i * 3).append(' ');
    }
    Path in = dir.resolve("in.jsonl");
    Files.write(
        in,
        List.of(
            "{\"id\":\"a\",\"text\":\"" + a + "\"}",
            "{\"id\":\"b\",\"text\":\"" + other.toString().trim() + "\"}",
            "{\"id\":\"broken\",\"text\":",
            "{\"id\":\"a-near\",\"text\":\"" + nearA + "\"}",
            "{\"id\":\"tiny\",\"text\":\"too short\"}"));
    Path out = dir.resolve("out.jsonl");

    int rc = WinnowCli.execute("dedup", "--input", in.toString(), "--output", out.toString());
    assertEquals(0, rc);

    List<JsonNode> rows = new ArrayList<>();
    for (String line : Files.readAllLines(out)) {
      rows.add(DocumentJson.mapper().readTree(line));
    }
    assertEquals(
        List.of("a", "b", "a-near", "tiny"),
        rows.stream().map(r -> r.path("id").asText()).toList(),
        "every good input document once, in input order");
    assertTrue(rows.get(0).path("dedup").path("kept").asBoolean());
    assertEquals("a", rows.get(0).path("dedup").path("cluster").asText());
    assertTrue(rows.get(1).path("dedup").path("kept").asBoolean());
    JsonNode near = rows.get(2).path("dedup");
    assertEquals(false, near.path("kept").asBoolean());
    assertEquals("a", near.path("duplicate_of").asText());
    assertTrue(
        near.path("similarity").asDouble() >= 0.8 && near.path("similarity").asDouble() < 1.0,
        near.toString());
    assertTrue(rows.get(3).path("dedup").path("too_short").asBoolean(), rows.get(3).toString());
    List<String> rejects = Files.readAllLines(Path.of(out + ".rejects.jsonl"));
    assertEquals(1, rejects.size());
    assertTrue(rejects.get(0).contains("in.jsonl:3"), rejects.get(0));
  }

  @Test
  void sketchCheckFindsTheNearCopyWithoutTheExactCheck(@TempDir Path dir) throws Exception {
    StringBuilder base = new StringBuilder();
    for (int i = 0; i < 120; i++) {
      base.append("word").append(i).append(i % 7 == 0 ? ". " : " ");
    }
    String a = base.toString().trim();
    Path in = dir.resolve("in.jsonl");
    Files.write(
        in,
        List.of(
            "{\"id\":\"a\",\"text\":\"" + a + "\"}",
            "{\"id\":\"a-near\",\"text\":\"Posted today. "
                + a.replace("word60", "changed")
                + "\"}"));
    Path out = dir.resolve("out.jsonl");

    assertEquals(
        1,
        WinnowCli.execute(
            "dedup", "--input", in.toString(), "--output", out.toString(), "--sketch-size", "128"),
        "a sketch with the exact check on is a contradiction");
    assertEquals(
        0,
        WinnowCli.execute(
            "dedup",
            "--input",
            in.toString(),
            "--output",
            out.toString(),
            "--no-exact",
            "--sketch-size",
            "128"));

    List<String> lines = Files.readAllLines(out);
    JsonNode near = DocumentJson.mapper().readTree(lines.get(1)).path("dedup");
    assertEquals(false, near.path("kept").asBoolean(), near.toString());
    assertEquals("a", near.path("duplicate_of").asText());
    assertTrue(
        near.path("similarity").asDouble() >= 0.8 && near.path("similarity").asDouble() < 1.0,
        near.toString());
  }

  @Test
  void badOptionsAreUsageErrors(@TempDir Path dir) {
    assertEquals(2, WinnowCli.execute("dedup", "--output", dir.resolve("o.jsonl").toString()));
    assertEquals(
        1,
        WinnowCli.execute(
            "dedup",
            "--input",
            dir.resolve("missing.jsonl").toString(),
            "--output",
            dir.resolve("o.jsonl").toString()));
    assertEquals(
        1,
        WinnowCli.execute(
            "dedup",
            "--input",
            dir.toString(),
            "--output",
            dir.resolve("o.jsonl").toString(),
            "--threshold",
            "1.5"));
  }
}
