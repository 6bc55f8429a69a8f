package dev.winnow.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DecontaminateCommandTest {
  @Test
  void cleanDocumentsToOutputContaminatedToRejected(@TempDir Path dir) throws Exception {
    Path bench = dir.resolve("gsm.jsonl");
    Files.write(
        bench,
        List.of(
            "{\"id\":\"g1\",\"question\":\"Janet has three apples and buys five more apples at the market on"
                + " Monday, how many apples does she have?\"}"));
    Path in = dir.resolve("in.jsonl");
    Files.write(
        in,
        List.of(
            "{\"id\":\"clean\",\"text\":\"Apples are sold at the market on Mondays.\"}",
            "{\"id\":\"copy\",\"text\":\"JANET has three apples and buys five more apples\\nat the market on monday.\"}"));
    Path out = dir.resolve("out.jsonl");
    assertEquals(
        0,
        WinnowCli.execute(
            "decontaminate",
            "--benchmark",
            bench.toString(),
            "--input",
            in.toString(),
            "--output",
            out.toString(),
            "--fields",
            "question"));
    var kept = SelectionCommandsTestSupport.readJsonl(out);
    assertEquals(1, kept.size());
    assertEquals("clean", kept.get(0).path("id").asText());
    var rej = SelectionCommandsTestSupport.readJsonl(dir.resolve("out.rejected.jsonl"));
    assertEquals("copy", rej.get(0).path("id").asText());
    assertEquals("contaminated", rej.get(0).path("rejection").path("rule").asText());
    assertEquals("g1", rej.get(0).path("rejection").path("item").asText());
    assertEquals("gsm.jsonl", rej.get(0).path("rejection").path("benchmark").asText());
  }
}
