package dev.winnow.jobs.cli;

import dev.winnow.jobs.demo.Demo;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run the whole curation path on real parts in this process: an embedded Kafka broker (KRaft), "
          + "the bundled sample corpus (2,850 documents with planted duplicates) plus a few broken records, and the "
          + "curation job on a Flink MiniCluster. Prints what was kept, rejected per rule and dead-lettered, writes the HTML report (winnow report) and cleans up."
    })
public final class DemoCommand implements Callable<Integer> {
  @Option(names = "--parallelism", description = "Flink parallelism (default: number of cores).")
  int parallelism = Runtime.getRuntime().availableProcessors();

  @Option(
      names = "--report-dir",
      description =
          "Where the run's HTML report goes (default: winnow-demo-report under the system temp directory).")
  Path reportDir = Demo.defaultReportDir();

  @Override
  public Integer call() throws Exception {
    return new Demo(System.out, parallelism, reportDir).run() ? 0 : 1;
  }
}
