package dev.winnow.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilterCommandTest {
  @Test
  void everyDocumentOutWithItsDecision(@TempDir Path dir) throws Exception {
    String report =
        String.join(
            "\n",
            "The town council met on Tuesday evening to discuss the state of the old bridges.",
            "Several residents complained that the river crossing had been closed for three weeks.",
            "Engineers told the meeting that repairs would begin once the spring floods receded.",
            "A local farmer said the detour added an hour to every trip he made to the market.",
            "The mayor promised that a temporary ferry would run until the work was finished.",
            "Funding for the project will come from a regional grant approved earlier this year.",
            "Council members also debated a proposal to widen the main road through the village.",
            "A decision on that plan was postponed until the next meeting in early May.");
    Path in = dir.resolve("in.jsonl");
    Files.write(
        in,
        List.of(
            "{\"id\":\"short\",\"text\":\"Too short.\"}",
            "{\"id\":\"ok\",\"text\":\"" + report.replace("\n", "\\n") + "\"}"));
    Path out = dir.resolve("out.jsonl");
    assertEquals(
        0,
        WinnowCli.execute(
            "filter",
            "--input",
            in.toString(),
            "--output",
            out.toString(),
            "--preset",
            "datatrove-0.10"));
    var docs = SelectionCommandsTestSupport.readJsonl(out);
    assertEquals(2, docs.size());
    var q0 = docs.get(0).path("meta").path("winnow").path("quality");
    assertEquals(false, q0.path("kept").asBoolean());
    assertEquals("gopher_quality", q0.path("filter").asText());
    assertEquals("gopher_short_doc", q0.path("rule").asText());
    assertEquals("< 50", q0.path("threshold").asText());
    var q1 = docs.get(1).path("meta").path("winnow").path("quality");
    assertTrue(q1.path("kept").asBoolean(), q1.toString());
    assertEquals(
        1,
        WinnowCli.execute(
            "filter", "--input", in.toString(), "--output", out.toString(), "--preset", "nltk"));
    // the fineweb order runs Gopher repetition first
    assertEquals(
        0,
        WinnowCli.execute(
            "filter", "--input", in.toString(), "--output", out.toString(), "--order", "fineweb"));
    assertEquals(
        "gopher_repetition",
        SelectionCommandsTestSupport.readJsonl(out)
            .get(0)
            .path("meta")
            .path("winnow")
            .path("quality")
            .path("filter")
            .asText());
  }
}
