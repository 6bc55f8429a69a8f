package dev.winnow.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code winnow fold} on proxy-deep with small budgets, and the folded model used by {@code score}.
 */
class FoldCommandTest {
  private static final Path SHARED = Path.of(System.getProperty("winnow.shared", "../../shared"));

  private static Path newsSlice(Path dir, int docs) throws Exception {
    List<String> lines = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(SHARED.resolve("corpora/news.jsonl.gz"))),
                StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null && lines.size() < docs) {
        lines.add(line);
      }
    }
    lines.add("{\"id\": \"broken\","); // a malformed line is skipped, not fatal
    Path f = dir.resolve("news.jsonl");
    Files.write(f, lines);
    return f;
  }

  @Test
  void foldsWritesAHuggingFaceModelWithItsReportAndScoreLoadsIt(@TempDir Path dir)
      throws Exception {
    Path cal = newsSlice(dir, 400);
    Path out = dir.resolve("folded");
    assertEquals(
        0,
        WinnowCli.execute(
            "fold",
            "--model",
            SHARED.resolve("models/proxy-deep").toString(),
            "--output",
            out.toString(),
            "--calibration",
            cal.toString(),
            "--keep-blocks",
            "9",
            "--groups",
            "1",
            "--method",
            "bi",
            "--train-tokens",
            "2048",
            "--analysis-tokens",
            "512",
            "--no-compare",
            "--eval-docs",
            "15",
            "--threads",
            "2",
            "--precision",
            "fp32"));
    ObjectMapper json = new ObjectMapper();
    JsonNode config = json.readTree(out.resolve("config.json").toFile());
    assertEquals(9, config.get("num_hidden_layers").asInt());
    JsonNode fold = json.readTree(out.resolve("fold.json").toFile());
    assertEquals("bi", fold.get("method").asText());
    assertEquals(3, fold.get("removed_blocks").size());
    assertEquals(1, fold.get("shared_groups").size());
    assertEquals(2, fold.get("shared_groups").get(0).size());
    assertEquals(64, fold.at("/source/sha256").asText().length());
    assertEquals(64, fold.at("/calibration/0/sha256").asText().length());
    JsonNode f = fold.get("fidelity");
    assertTrue(f.get("documents").asInt() >= 10, f.toString());
    assertTrue(f.get("perplexity_after").asDouble() > 1, f.toString());
    assertTrue(
        f.get("block_parameters_after").asLong() < f.get("block_parameters_before").asLong());
    assertTrue(f.at("/by_source/news/documents").asInt() >= 10, f.toString());
    assertTrue(f.has("llmlingua_kept_word_overlap_rate_0_5"), f.toString());
    assertTrue(Files.size(out.resolve("fold-similarity.png")) > 1000);
    String report = Files.readString(out.resolve("fold-report.md"));
    assertTrue(report.contains("Spearman") && report.contains("| news |"), report);
    assertTrue(Files.exists(out.resolve("tokenizer.json")));
    // a folded model is a model: score accepts it
    Path in = dir.resolve("in.jsonl");
    Files.write(
        in,
        List.of("{\"id\": \"a\", \"text\": \"The river rose overnight and the bridge closed.\"}"));
    Path scores = dir.resolve("scores.jsonl");
    assertEquals(
        0,
        WinnowCli.execute(
            "score",
            "--model",
            out.toString(),
            "--input",
            in.toString(),
            "--output",
            scores.toString(),
            "--precision",
            "fp32"));
    assertTrue(json.readTree(Files.readAllLines(scores).get(0)).get("ppl").asDouble() > 1);
  }

  @Test
  void pastMaxPplIncreaseTheRunFailsAndWritesNoModel(@TempDir Path dir) throws Exception {
    Path cal = newsSlice(dir, 300);
    Path out = dir.resolve("folded");
    assertEquals(
        1,
        WinnowCli.execute(
            "fold",
            "--model",
            SHARED.resolve("models/proxy-deep").toString(),
            "--output",
            out.toString(),
            "--calibration",
            cal.toString(),
            "--keep-blocks",
            "6",
            "--method",
            "bi",
            "--train-tokens",
            "0",
            "--analysis-tokens",
            "256",
            "--no-compare",
            "--eval-docs",
            "12",
            "--max-ppl-increase",
            "1",
            "--threads",
            "2",
            "--precision",
            "fp32"));
    assertFalse(Files.exists(out.resolve("model.safetensors")), "no model past the bound");
    assertTrue(Files.exists(out.resolve("fold.json")), "the report says why");
    assertTrue(Files.exists(out.resolve("fold-report.md")));
  }
}
