package dev.winnow.jobs.cli;

import dev.winnow.jobs.report.ReportWriter;
import dev.winnow.jobs.report.RunOutputs;
import dev.winnow.jobs.report.RunTally;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Write an HTML report of a curation run (funnel, keep rate per source, length and score"
          + " distributions, examples per rule) with its pictures and a JSON file of every figure,"
          + " read from the run's output topics or from a file-mode output folder."
    })
public final class ReportCommand implements Callable<Integer> {
  @Option(
      names = "--bootstrap",
      description = "Kafka bootstrap servers of the run's topics (with --topics).")
  String bootstrap;

  @Option(
      names = "--topics",
      split = ",",
      defaultValue = "curated,rejected,deadletter",
      description =
          "The run's curated, rejected and dead-letter topics (default: ${DEFAULT-VALUE}).")
  List<String> topics;

  @Option(
      names = "--input",
      description =
          "The output folder of a file-mode run (`winnow curate --input ... --output DIR`).")
  Path input;

  @Option(
      names = "--output",
      required = true,
      description = "Folder for report.html, its pictures and report.json.")
  Path output;

  @Mixin KafkaPropertiesOption kafkaProperties;

  @Override
  public Integer call() throws Exception {
    if ((input == null) == (bootstrap == null)) {
      throw new IllegalArgumentException(
          "give --bootstrap HOST:PORT (read the run's topics) or --input DIR (a file-mode output"
              + " folder), one of them");
    }
    if (topics.size() != 3) {
      throw new IllegalArgumentException(
          "--topics takes three names, curated,rejected,deadletter; got " + topics);
    }
    RunTally t =
        input != null
            ? RunOutputs.fromDirectory(input)
            : RunOutputs.fromTopics(
                bootstrap,
                kafkaProperties.properties(),
                topics.get(0),
                topics.get(1),
                topics.get(2));
    String what =
        input != null
            ? "Outputs read from " + input.toAbsolutePath()
            : "Topics " + String.join(", ", topics) + " on " + bootstrap;
    Path page = ReportWriter.write(t, what, output);
    System.err.printf(
        "report: %,d in, %,d kept, %,d rejected, %,d dead-lettered -> %s%n",
        t.total(), t.curated(), t.rejected(), t.deadLettered(), page);
    return 0;
  }
}
