package dev.winnow.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedactCommandTest {
  @Test
  void everyDocumentOutRedacted(@TempDir Path dir) throws Exception {
    Path in = dir.resolve("in.jsonl");
    Files.write(
        in,
        List.of(
            "{\"id\":\"a\",\"text\":\"write to bob@example.com\"}",
            "{\"id\":\"b\",\"text\":\"nothing personal here, ISBN 978-3-16-148410-0\"}"));
    Path out = dir.resolve("out.jsonl.gz");
    assertEquals(
        0,
        WinnowCli.execute(
            "redact",
            "--input",
            in.toString(),
            "--output",
            out.toString(),
            "--placeholder",
            "email=[e]"));
    List<JsonNode> docs = SelectionCommandsTestSupport.readJsonl(out);
    assertEquals(2, docs.size());
    assertEquals("write to [e]", docs.get(0).path("text").asText());
    assertEquals(1, docs.get(0).path("meta").path("winnow").path("pii").path("email").asInt());
    assertEquals(
        "nothing personal here, ISBN 978-3-16-148410-0", docs.get(1).path("text").asText());
  }
}
