package dev.winnow.jobs.cli;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Where a command's logging goes, decided from its arguments before any logger exists (Log4j reads
 * the {@code winnow.log.*} properties when it starts): everything at INFO into a log file ({@code
 * --log-file FILE}, else a new file under {@code <temp>/winnow-logs/}), and on the terminal nothing
 * but the command's own output unless {@code --verbose}.
 */
final class LogSetup {
  private static Path file;
  private static boolean verbose;

  private LogSetup() {}

  /**
   * Reads {@code --verbose} and {@code --log-file} from the arguments and points Log4j at the file.
   */
  static void configure(String[] args) {
    String command = "winnow";
    String logFile = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--verbose")) {
        verbose = true;
      } else if (a.equals("--log-file") && i + 1 < args.length) {
        logFile = args[++i];
      } else if (a.startsWith("--log-file=")) {
        logFile = a.substring("--log-file=".length());
      } else if (command.equals("winnow") && !a.startsWith("-")) {
        command = "winnow-" + a.replaceAll("[^A-Za-z0-9-]", "");
      }
    }
    verbose |= System.getenv("WINNOW_DEBUG") != null;
    file =
        logFile != null
            ? Path.of(logFile).toAbsolutePath()
            : Path.of(System.getProperty("java.io.tmpdir"), "winnow-logs")
                .resolve(
                    command
                        + "-"
                        + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
                        + "-"
                        + ProcessHandle.current().pid()
                        + ".log");
    System.setProperty("winnow.log.file", file.toString());
    System.setProperty("winnow.log.console", verbose ? "INFO" : "OFF");
  }

  /** The log file, or null when {@link #configure} was not called (tests, library use). */
  static Path file() {
    return file;
  }

  /** Whether stack traces and library logging go to the terminal. */
  static boolean verbose() {
    return verbose;
  }
}
