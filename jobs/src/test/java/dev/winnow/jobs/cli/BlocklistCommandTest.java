package dev.winnow.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlocklistCommandTest {
  @Test
  void listedDomainsAndWordsAreRejected(@TempDir Path dir) throws Exception {
    Path domains = Files.write(dir.resolve("d.txt"), List.of("spam.test"));
    Path words = Files.write(dir.resolve("w.txt"), List.of("darn"));
    Path in = dir.resolve("in.jsonl");
    Files.write(
        in,
        List.of(
            "{\"id\":\"a\",\"text\":\"fine text\",\"meta\":{\"url\":\"https://ok.test/\"}}",
            "{\"id\":\"b\",\"text\":\"fine text\",\"meta\":{\"url\":\"https://x.spam.test/\"}}",
            "{\"id\":\"c\",\"text\":\"darn text\"}"));
    Path out = dir.resolve("out.jsonl");
    assertEquals(
        0,
        WinnowCli.execute(
            "blocklist",
            "--input",
            in.toString(),
            "--output",
            out.toString(),
            "--domains",
            domains.toString(),
            "--words",
            words.toString()));
    assertEquals(1, SelectionCommandsTestSupport.readJsonl(out).size());
    var rej = SelectionCommandsTestSupport.readJsonl(dir.resolve("out.rejected.jsonl"));
    assertEquals("url_domain", rej.get(0).path("rejection").path("rule").asText());
    assertEquals("blocked_words", rej.get(1).path("rejection").path("rule").asText());
    assertEquals(
        1, WinnowCli.execute("blocklist", "--input", in.toString(), "--output", out.toString()));
  }

  @Test
  void softUrlWordsFromTheThresholdOn(@TempDir Path dir) throws Exception {
    Path soft = Files.write(dir.resolve("s.txt"), List.of("hot", "live"));
    Path in = dir.resolve("in.jsonl");
    Files.write(
        in,
        List.of(
            "{\"id\":\"a\",\"text\":\"t\",\"meta\":{\"url\":\"https://ok.test/hot\"}}",
            "{\"id\":\"b\",\"text\":\"t\",\"meta\":{\"url\":\"https://ok.test/hot-live\"}}"));
    Path out = dir.resolve("out.jsonl");
    String[] args = {
      "blocklist",
      "--input",
      in.toString(),
      "--output",
      out.toString(),
      "--url-soft-words",
      soft.toString()
    };
    assertEquals(0, WinnowCli.execute(args));
    assertEquals(1, SelectionCommandsTestSupport.readJsonl(out).size());
    var rej = SelectionCommandsTestSupport.readJsonl(dir.resolve("out.rejected.jsonl"));
    assertEquals("b", rej.get(0).path("id").asText());
    assertEquals("url_soft_words", rej.get(0).path("rejection").path("rule").asText());
    assertEquals(
        0,
        WinnowCli.execute(
            "blocklist",
            "--input",
            in.toString(),
            "--output",
            out.toString(),
            "--url-soft-words",
            soft.toString(),
            "--soft-threshold",
            "1"));
    assertEquals(0, SelectionCommandsTestSupport.readJsonl(out).size(), "1 soft word >= 1");
  }
}
