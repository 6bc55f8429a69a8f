package dev.winnow.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.jobs.demo.EmbeddedKafkaBroker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The errors a newcomer meets first each end the command with exit code 1 and one line on stderr
 * that says what was wrong and what to do, without a stack trace.
 */
class FirstErrorsTest {

  @Test
  void noBrokerAtTheAddress() {
    // port 1 on loopback: nothing listens there
    String line = oneLine(run("curate", "--bootstrap", "127.0.0.1:1", "--bounded"));
    assertTrue(line.contains("no Kafka broker answers at 127.0.0.1:1"), line);
    assertTrue(line.contains("./winnow demo") && line.contains("--bootstrap"), line);
  }

  @Test
  void inputTopicMissing() throws Exception {
    try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
      String line = oneLine(run("curate", "--bootstrap", kafka.bootstrapServers(), "--bounded"));
      assertTrue(line.contains("topic raw does not exist on " + kafka.bootstrapServers()), line);
      assertTrue(line.contains("winnow publish --topic raw"), line);
    }
  }

  @Test
  void modelDirectoryMissing(@TempDir Path dir) throws Exception {
    Path in = dir.resolve("in.jsonl");
    Files.write(in, List.of("{\"id\": \"a\", \"text\": \"some text\"}"));
    Path missing = dir.resolve("no-such-model");
    String line = oneLine(run("score", "--model", missing.toString(), "--input", in.toString()));
    assertTrue(line.contains(missing.toString()) && line.contains("not a directory"), line);
    assertTrue(line.contains("Hugging Face"), "says what to give instead: " + line);
  }

  @Test
  void configFieldWrong(@TempDir Path dir) throws Exception {
    Path cfg = dir.resolve("curation.yaml");
    Files.writeString(cfg, "job:\n  checkpointIntervalMs: 10\n");
    String line = oneLine(run("curate", "--config", cfg.toString()));
    assertTrue(
        line.contains(cfg.toString())
            && line.contains("job.checkpointIntervalMs: value 10 must be in [100, 3600000]"),
        line);
  }

  /** The one line of stderr, after checking the exit code and that there is no stack trace. */
  private static String oneLine(String[] r) {
    assertEquals("1", r[0], r[1]);
    List<String> lines = r[1].lines().filter(l -> !l.isBlank()).toList();
    assertEquals(1, lines.size(), "one line: " + r[1]);
    assertFalse(r[1].contains("\tat "), "no stack trace: " + r[1]);
    assertTrue(lines.get(0).startsWith("winnow "), lines.get(0));
    return lines.get(0);
  }

  private static String[] run(String... args) {
    PrintStream saved = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int rc;
    try {
      rc = WinnowCli.execute(args);
    } finally {
      System.setErr(saved);
    }
    return new String[] {Integer.toString(rc), err.toString(StandardCharsets.UTF_8)};
  }
}
