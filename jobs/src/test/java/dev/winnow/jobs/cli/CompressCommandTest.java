package dev.winnow.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompressCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode referenceCase(int i) throws Exception {
    Path cases = Path.of(System.getProperty("winnow.shared"), "reference/llmlingua/cases.json");
    return JSON.readTree(cases.toFile()).get("cases").get(i);
  }

  @Test
  void compatModeWithTheBundledModelGivesTheReferenceOutput(@TempDir Path dir) throws Exception {
    JsonNode c = referenceCase(0);
    ObjectNode request = JSON.createObjectNode();
    request.set("context", c.get("context"));
    request.set("instruction", c.get("instruction"));
    request.set("question", c.get("question"));
    c.get("kwargs").fields().forEachRemaining(e -> request.set(e.getKey(), e.getValue()));
    Path in = dir.resolve("request.json");
    Files.writeString(in, request.toString());
    Path out = dir.resolve("result.json");

    int rc =
        WinnowCli.execute(
            "compress", "--mode", "compat", "--input", in.toString(), "--output", out.toString());

    assertEquals(0, rc);
    JsonNode result = JSON.readTree(out.toFile());
    assertEquals(
        c.get("result").get("compressed_prompt").asText(),
        result.get("compressed_prompt").asText());
    assertEquals(c.get("result").get("origin_tokens").asInt(), result.get("origin_tokens").asInt());
    assertEquals("compat", result.get("mode").asText());
  }

  @Test
  void badRequestNamesTheFieldAndFails(@TempDir Path dir) throws Exception {
    Path in = dir.resolve("request.json");
    Files.writeString(in, "{\"context\": [\"Some text to compress.\"], \"rate\": 1.5}");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream old = System.err;
    int rc;
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      rc =
          WinnowCli.execute(
              "compress", "--input", in.toString(), "--output", dir.resolve("out.json").toString());
    } finally {
      System.setErr(old);
    }
    assertEquals(1, rc);
    String message = err.toString(StandardCharsets.UTF_8);
    assertTrue(message.contains("rate: illegal value 1.5"), message);
    assertTrue(Files.notExists(dir.resolve("out.json")), "no result for a bad request");
  }
}
