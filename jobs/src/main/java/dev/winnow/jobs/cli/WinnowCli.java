package dev.winnow.jobs.cli;

import org.apache.flink.util.FlinkUserCodeClassLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code winnow} command line. */
@Command(
    name = "winnow",
    mixinStandardHelpOptions = true,
    version = "winnow 0.1.0",
    description = "Curate LLM training data as a stream and shrink prompts before inference.",
    subcommands = {
      DemoCommand.class,
      PublishCommand.class,
      CurateCommand.class,
      ExtractCommand.class,
      DedupCommand.class,
      ScoreCommand.class,
      CompressCommand.class,
      PoolCommand.class,
      ServeCommand.class,
      DsirCommand.class,
      SelectCommand.class,
      CurriculumCommand.class,
      IfdCommand.class,
      BucketsCommand.class,
      ReportCommand.class,
      LangidCommand.class,
      FoldCommand.class,
      RedactCommand.class,
      DecontaminateCommand.class,
      FilterCommand.class,
      BlocklistCommand.class,
      CommandLine.HelpCommand.class
    })
public final class WinnowCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(
      names = "--verbose",
      scope = CommandLine.ScopeType.INHERIT,
      description =
          "Show Flink, Kafka and Javalin logging on the terminal, and stack traces of errors.")
  boolean verbose;

  @CommandLine.Option(
      names = "--log-file",
      paramLabel = "FILE",
      scope = CommandLine.ScopeType.INHERIT,
      description =
          "Where the libraries' logging goes, at INFO (default: a new file under the system temp"
              + " directory's winnow-logs/, named on failure).")
  java.nio.file.Path logFile;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Runs a command line and returns its exit code (0 ok, 1 failure, 2 usage error). */
  public static int execute(String... args) {
    return new CommandLine(new WinnowCli())
        .setExecutionExceptionHandler(
            (ex, cmd, parseResult) -> {
              String where =
                  LogSetup.file() == null || LogSetup.verbose()
                      ? ""
                      : " [log: " + LogSetup.file() + "; --verbose for details]";
              cmd.getErr().println("winnow " + cmd.getCommandName() + ": " + messageOf(ex) + where);
              if (LogSetup.verbose()) {
                ex.printStackTrace(cmd.getErr());
              }
              return 1;
            })
        .execute(args);
  }

  static String messageOf(Throwable ex) {
    Throwable t = ex;
    while (t.getCause() != null
        && (t.getMessage() == null || t instanceof java.util.concurrent.ExecutionException)) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }

  public static void main(String[] args) {
    if (WinnowCli.class.getClassLoader() instanceof FlinkUserCodeClassLoader) {
      // the job jar's entry under `flink run` or a JobManager's REST API: the cluster's logging,
      // and no System.exit, which would end the JobManager (or the client) with it
      int rc = execute(args);
      if (rc != 0) {
        throw new IllegalStateException(
            "winnow " + String.join(" ", args) + " failed (exit code " + rc + ")");
      }
      return;
    }
    LogSetup.configure(args);
    System.exit(execute(args));
  }
}
