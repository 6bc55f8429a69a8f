package dev.winnow.it;

import dev.winnow.jobs.cli.WinnowCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Runs a {@code winnow} command in this JVM and returns what it printed; for the cluster drills and
 * the gigabyte benchmark in {@code bench}, which submit jobs as a user would.
 */
public final class CliOutput {
  private CliOutput() {}

  /**
   * The command's standard output.
   *
   * @throws IllegalStateException when it exits with a non-zero status (the message holds the
   *     output)
   */
  public static String of(String... args) {
    PrintStream saved = System.out;
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    System.setOut(new PrintStream(b, true, StandardCharsets.UTF_8));
    int rc;
    try {
      rc = WinnowCli.execute(args);
    } finally {
      System.setOut(saved);
    }
    String out = b.toString(StandardCharsets.UTF_8);
    if (rc != 0) {
      throw new IllegalStateException(
          "winnow " + String.join(" ", args) + " exited with " + rc + ":\n" + out);
    }
    return out;
  }
}
