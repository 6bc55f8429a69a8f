package dev.winnow.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * winnow pool build / select / delete on demonstrations made from the news corpus (body →
 * headline).
 */
class PoolCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void buildSelectDelete(@TempDir Path dir) throws Exception {
    List<String> lines = new ArrayList<>();
    Path news = Path.of(System.getProperty("winnow.shared"), "corpora/news.jsonl.gz");
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(news)), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null && lines.size() < 30) {
        JsonNode d = JSON.readTree(line);
        String text = d.get("text").asText();
        int nl = text.indexOf('\n');
        if (nl > 0 && text.length() - nl > 80) {
          lines.add(
              JSON.createObjectNode()
                  .put("id", d.get("id").asText())
                  .put("input", text.substring(nl + 1, Math.min(text.length(), nl + 400)))
                  .put("output", text.substring(0, nl))
                  .toString());
        }
      }
    }
    lines.add(5, "{\"input\": \"no output field\"}");
    Path input = dir.resolve("demos.jsonl");
    Files.write(input, lines);
    Path pool = dir.resolve("pools/news");
    Path rejects = dir.resolve("rejects.jsonl");

    assertEquals(
        0,
        WinnowCli.execute(
            "pool",
            "build",
            "--pool",
            pool.toString(),
            "--input",
            input.toString(),
            "--embed-tokens",
            "64",
            "--batch",
            "7",
            "--reject-file",
            rejects.toString()));
    List<String> rejected = Files.readAllLines(rejects);
    assertEquals(1, rejected.size());
    assertTrue(
        rejected.get(0).contains("demos.jsonl:6") && rejected.get(0).contains("output"),
        rejected.get(0));

    JsonNode target = JSON.readTree(lines.get(10));
    PrintStream saved = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      assertEquals(
          0,
          WinnowCli.execute(
              "pool",
              "select",
              "--pool",
              pool.toString(),
              "--query",
              target.get("input").asText(),
              "--k",
              "3",
              "--method",
              "hybrid"));
    } finally {
      System.setOut(saved);
    }
    String[] selected = out.toString(StandardCharsets.UTF_8).strip().split("\n");
    assertEquals(3, selected.length);
    assertEquals(
        target.get("id").asText(),
        JSON.readTree(selected[2]).get("id").asText(),
        "most similar last");

    assertEquals(
        0,
        WinnowCli.execute(
            "pool", "delete", "--pool", pool.toString(), "--id", target.get("id").asText()));
    assertEquals(
        1,
        WinnowCli.execute(
            "pool", "delete", "--pool", pool.toString(), "--id", target.get("id").asText()));
  }

  @Test
  void poolIndexChecksThePoolNameBeforeTheBrokerIsContacted(@TempDir Path dir) {
    PrintStream saved = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int rc;
    try {
      // port 1 on loopback: nothing listens there, so this message proves the name was checked
      // first
      rc =
          WinnowCli.execute(
              "pool",
              "index",
              "--topic",
              "demos",
              "--pool",
              "../escape",
              "--pools-dir",
              dir.toString(),
              "--bootstrap",
              "127.0.0.1:1",
              "--bounded");
    } finally {
      System.setErr(saved);
    }
    String message = err.toString(StandardCharsets.UTF_8);
    assertEquals(1, rc, message);
    assertTrue(message.contains("pool: illegal pool name \"../escape\""), message);
    assertTrue(
        !Files.exists(dir.resolve("../escape")), "nothing created outside the pools directory");
  }
}
