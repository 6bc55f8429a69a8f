package dev.winnow.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.winnow.ingest.io.WarcFixtures;
import dev.winnow.ingest.serde.DocumentJson;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExtractCommandTest {
  @Test
  void extractsTheMainTextOfEveryPageAndRejectsTheRest(@TempDir Path dir) throws Exception {
    Path warc = dir.resolve("crawl.warc.gz");
    List<String> paragraphs =
        List.of(
            "The first paragraph of the article, which the extractor must keep as it is.",
            "The second paragraph, also kept, after a blank line that separates the two.");
    try (WarcFixtures w = new WarcFixtures(warc, true)) {
      w.warcinfo()
          .html(
              1,
              "https://a.example/",
              WarcFixtures.page("Title A", paragraphs),
              StandardCharsets.UTF_8,
              true)
          .response(
              2, "https://a.example/x.pdf", "application/pdf", new byte[] {'%', 'P', 'D', 'F'})
          .html(
              3,
              "https://b.example/",
              WarcFixtures.page("Title B", paragraphs),
              StandardCharsets.UTF_8,
              true);
    }
    Path out = dir.resolve("docs.jsonl");
    PrintStream saved = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    int rc;
    try {
      rc = WinnowCli.execute("extract", "--input", warc.toString(), "--output", out.toString());
    } finally {
      System.setOut(saved);
    }
    String report = printed.toString(StandardCharsets.UTF_8);
    assertEquals(0, rc, report);
    List<String> lines = Files.readAllLines(out);
    assertEquals(2, lines.size());
    JsonNode a = DocumentJson.mapper().readTree(lines.get(0));
    assertEquals(WarcFixtures.uuid(1).toString(), a.path("id").asText());
    assertEquals("Title A\n\n" + String.join("\n\n", paragraphs), a.path("text").asText());
    assertEquals("https://a.example/", a.path("meta").path("url").asText());

    List<String> rejects = Files.readAllLines(dir.resolve("docs.rejects.jsonl"));
    assertEquals(1, rejects.size());
    JsonNode r = DocumentJson.mapper().readTree(rejects.get(0));
    assertEquals("not HTML: content type application/pdf", r.path("reason").asText());
    assertTrue(r.path("location").asText().startsWith(warc + "@"), rejects.get(0));
    assertTrue(report.contains("2 documents") && report.contains("1 entries rejected"), report);
    assertTrue(report.contains("not HTML"), report);
  }
}
