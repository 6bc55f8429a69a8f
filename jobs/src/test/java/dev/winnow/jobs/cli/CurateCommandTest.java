package dev.winnow.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code winnow curate}'s reference options fail early and clearly on bad input (no broker needed
 * for these).
 */
class CurateCommandTest {

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

  @Test
  void aMissingReferenceFileIsNamedBeforeTheBrokerIsContacted(@TempDir Path dir) {
    Path missing = dir.resolve("kept-earlier.jsonl.gz");
    // port 1 on loopback: nothing listens there, so getting this message proves the file was
    // checked first
    String[] r =
        run("curate", "--bootstrap", "127.0.0.1:1", "--bounded", "--reference", missing.toString());
    assertEquals("1", r[0], r[1]);
    assertTrue(
        r[1].contains("reference.files[0]")
            && r[1].contains(missing.toString())
            && r[1].contains("does not exist"),
        r[1]);
  }

  @Test
  void theInputTopicCannotBeItsOwnReference() {
    String[] r =
        run("curate", "--bootstrap", "127.0.0.1:1", "--bounded", "--reference-topic", "raw");
    assertEquals("1", r[0], r[1]);
    assertTrue(r[1].contains("reference.topic") && r[1].contains("is the input topic"), r[1]);
  }

  @Test
  void theFileModeNeedsInputAndOutputAndNoKafkaOptions(@TempDir Path dir) throws Exception {
    Path in = dir.resolve("in.jsonl");
    java.nio.file.Files.writeString(in, "{\"text\": \"x\"}\n");
    String[] r = run("curate", "--input", in.toString());
    assertEquals("1", r[0], r[1]);
    assertTrue(r[1].contains("needs both --input and --output"), r[1]);
    r =
        run(
            "curate",
            "--input",
            in.toString(),
            "--output",
            dir.resolve("out").toString(),
            "--bootstrap",
            "127.0.0.1:1");
    assertEquals("1", r[0], r[1]);
    assertTrue(r[1].contains("runs without Kafka"), r[1]);
  }

  @Test
  void theFileModeRefusesADirectoryThatHoldsARun(@TempDir Path dir) throws Exception {
    Path in = dir.resolve("in.jsonl");
    java.nio.file.Files.writeString(in, "{\"text\": \"x\"}\n");
    Path out = java.nio.file.Files.createDirectories(dir.resolve("out").resolve("curated"));
    String[] r = run("curate", "--input", in.toString(), "--output", out.getParent().toString());
    assertEquals("1", r[0], r[1]);
    assertTrue(
        r[1].contains("already holds a curation run (curated/)") && r[1].contains("--overwrite"),
        r[1]);
  }
}
