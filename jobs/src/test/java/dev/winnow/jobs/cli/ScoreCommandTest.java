package dev.winnow.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.winnow.ingest.serde.DocumentJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScoreCommandTest {
  private static final List<String> GOOD =
      List.of(
          "{\"id\": \"a\", \"text\": \"The river rose overnight and the bridge was closed to traffic.\"}",
          "{\"id\": \"b\", \"text\": \"colorless green ideas sleep furiously under the quantum banana\"}");

  @Test
  void scoresEveryDocumentAndLeavesNoRejectFileWhenNothingWasRejected(@TempDir Path dir)
      throws Exception {
    Path defaultRejects = Path.of("score.rejects.jsonl"); // the default: in the working directory
    Files.deleteIfExists(defaultRejects);
    Path in = dir.resolve("in.jsonl");
    Files.write(in, GOOD);
    Path out = dir.resolve("scores.jsonl");
    assertEquals(
        0,
        WinnowCli.execute(
            "score", "--input", in.toString(), "--output", out.toString(), "--threads", "2"));
    List<String> lines = Files.readAllLines(out);
    assertEquals(2, lines.size());
    for (String l : lines) {
      JsonNode n = DocumentJson.mapper().readTree(l);
      assertTrue(n.path("ppl").asDouble() > 1, l);
      assertTrue(n.path("tokens").asInt() > 5, l);
    }
    assertFalse(Files.exists(defaultRejects), "no score.rejects.jsonl when nothing was rejected");
  }

  @Test
  void aMalformedLineGoesToTheRejectFile(@TempDir Path dir) throws Exception {
    Path in = dir.resolve("in.jsonl");
    Files.write(in, List.of(GOOD.get(0), "{\"id\": \"broken\","));
    Path out = dir.resolve("scores.jsonl");
    Path rejects = dir.resolve("rejects.jsonl");
    assertEquals(
        0,
        WinnowCli.execute(
            "score",
            "--input",
            in.toString(),
            "--output",
            out.toString(),
            "--reject-file",
            rejects.toString(),
            "--threads",
            "1"));
    assertEquals(1, Files.readAllLines(out).size());
    List<String> r = Files.readAllLines(rejects);
    assertEquals(1, r.size());
    assertTrue(r.get(0).contains(in + ":2"), r.get(0));
  }

  @Test
  void precisionAutoScoresWithinBf16RoundingOfFp32(@TempDir Path dir) throws Exception {
    Path in = dir.resolve("in.jsonl");
    Files.write(in, GOOD);
    Path fp32 = dir.resolve("fp32.jsonl");
    Path auto = dir.resolve("auto.jsonl");
    assertEquals(
        0,
        WinnowCli.execute(
            "score", "--input", in.toString(), "--output", fp32.toString(), "--precision", "fp32"));
    assertEquals(
        0,
        WinnowCli.execute(
            "score", "--input", in.toString(), "--output", auto.toString(), "--precision", "auto"));
    List<String> a = Files.readAllLines(fp32);
    List<String> b = Files.readAllLines(auto);
    for (int i = 0; i < a.size(); i++) {
      double x = DocumentJson.mapper().readTree(a.get(i)).path("mean_nll").asDouble();
      double y = DocumentJson.mapper().readTree(b.get(i)).path("mean_nll").asDouble();
      assertEquals(x, y, 1e-2, "mean NLL in auto precision within the bf16 bound of fp32");
    }
    assertEquals(
        1,
        WinnowCli.execute(
            "score", "--input", in.toString(), "--output", auto.toString(), "--precision", "fp16"));
  }
}
