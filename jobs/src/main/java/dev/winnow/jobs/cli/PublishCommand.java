package dev.winnow.jobs.cli;

import dev.winnow.ingest.io.ReadOptions;
import dev.winnow.ingest.publish.PublishOptions;
import dev.winnow.ingest.publish.PublishSummary;
import dev.winnow.ingest.publish.Publisher;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "publish",
    mixinStandardHelpOptions = true,
    description = {
      "Publish documents from JSONL, JSONL.gz, WARC (HTML main text), WET, Parquet and plain-text files "
          + "and directories of them to a Kafka topic, "
          + "keyed by document id, exactly once (transactions; --resume continues an interrupted run).",
      "Malformed and oversized entries are counted and written to the reject file; they never stop the run."
    })
public final class PublishCommand implements Callable<Integer> {
  @Option(
      names = "--bootstrap",
      defaultValue = "localhost:9092",
      description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
  String bootstrap;

  @Option(names = "--topic", required = true, description = "Target topic (created if missing).")
  String topic;

  @Option(
      names = "--input",
      required = true,
      arity = "1..*",
      description =
          "Input files (.jsonl, .jsonl.gz, .warc, .warc.gz, .warc.wet.gz, .parquet, other files as plain"
              + " text) or directories of them.")
  List<Path> inputs;

  @Option(
      names = "--text-column",
      defaultValue = "text",
      description = "The Parquet column holding the document text (default: ${DEFAULT-VALUE}).")
  String textColumn;

  @Option(
      names = "--reject-file",
      description = "Where malformed/oversized entries go (default: <topic>.rejects.jsonl).")
  Path rejectFile;

  @Option(
      names = "--max-record-bytes",
      defaultValue = "1048576",
      description =
          "Largest serialized document accepted (default: ${DEFAULT-VALUE}); keep it within the broker's message.max.bytes.")
  int maxRecordBytes;

  @Option(
      names = "--resume",
      description =
          "Continue after the last committed entry of an interrupted run of the same topic and inputs.")
  boolean resume;

  @Option(
      names = "--partitions",
      defaultValue = "4",
      description = "Partitions when the topic is created (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(
      names = "--transaction-entries",
      defaultValue = "5000",
      description = "Input entries per transaction/checkpoint (default: ${DEFAULT-VALUE}).")
  int transactionEntries;

  @Option(
      names = "--progress",
      negatable = true,
      description = "Show a progress bar on stderr (default: when stderr is a terminal).")
  Boolean progress;

  @Option(
      names = "--producer-property",
      description = "Extra Kafka producer property KEY=VALUE (repeatable).")
  Map<String, String> producerProps = new LinkedHashMap<>();

  @Mixin KafkaPropertiesOption kafkaProperties;

  @Override
  public Integer call() throws Exception {
    PublishOptions o =
        PublishOptions.of(bootstrap, topic, inputs)
            .withClientProperties(kafkaProperties.properties())
            .withRejectFile(rejectFile)
            .withMaxRecordBytes(maxRecordBytes)
            .withResume(resume)
            .withPartitions(partitions)
            .withTransactionEntries(transactionEntries)
            .withProgress(progress != null ? progress : System.console() != null)
            .withProducerOverrides(producerProps)
            .withReadOptions(new ReadOptions(textColumn));
    PublishSummary s = new Publisher(o, System.err).run();
    System.out.println(s);
    if (s.malformed() + s.oversized() > 0) {
      System.out.println("rejected entries are listed in " + o.effectiveRejectFile());
    }
    return 0;
  }
}
