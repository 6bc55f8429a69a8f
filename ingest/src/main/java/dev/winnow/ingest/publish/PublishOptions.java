package dev.winnow.ingest.publish;

import dev.winnow.ingest.io.ReadOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link Publisher} publishes and how.
 *
 * @param bootstrap Kafka bootstrap servers, {@code host:port[,host:port]}
 * @param topic target topic (created with {@code partitions} partitions if missing)
 * @param inputs files (JSONL, JSONL.gz, WARC, WET, Parquet, plain text) and directories of them,
 *     read in order by {@link dev.winnow.ingest.io.DocumentReader}
 * @param rejectFile where malformed and oversized entries are written (JSON lines), or null for
 *     {@code <topic>.rejects.jsonl} in the working directory
 * @param maxRecordBytes largest serialized document accepted; larger ones are rejected with a
 *     message naming them
 * @param resume continue after the last committed entry of an earlier, interrupted run of the same
 *     topic and inputs
 * @param stateTopic compacted topic where progress is committed atomically with the documents
 * @param transactionEntries input entries per Kafka transaction (and per progress checkpoint)
 * @param partitions partitions of the target topic when this run creates it
 * @param progress draw a progress bar on stderr
 * @param producerOverrides extra producer properties, applied last
 * @param clientProperties Kafka client properties of every client of the run (producer, admin,
 *     consumer of the progress topic): security ({@code security.protocol}, {@code sasl.*}, {@code
 *     ssl.*}) and timeouts
 * @param readOptions how the inputs are read (the Parquet text column)
 */
public record PublishOptions(
    String bootstrap,
    String topic,
    List<Path> inputs,
    Path rejectFile,
    int maxRecordBytes,
    boolean resume,
    String stateTopic,
    int transactionEntries,
    int partitions,
    boolean progress,
    Map<String, String> producerOverrides,
    Map<String, String> clientProperties,
    ReadOptions readOptions) {

  public static final int DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;
  public static final String DEFAULT_STATE_TOPIC = "winnow-publish-state";
  public static final int DEFAULT_TRANSACTION_ENTRIES = 5000;

  public PublishOptions {
    Objects.requireNonNull(bootstrap, "bootstrap");
    Objects.requireNonNull(topic, "topic");
    if (topic.isBlank()) {
      throw new IllegalArgumentException("illegal topic: must not be blank");
    }
    if (inputs == null || inputs.isEmpty()) {
      throw new IllegalArgumentException(
          "illegal inputs: at least one input file or directory is required");
    }
    if (maxRecordBytes < 1024) {
      throw new IllegalArgumentException(
          "illegal maxRecordBytes " + maxRecordBytes + ": must be at least 1024");
    }
    if (transactionEntries < 1) {
      throw new IllegalArgumentException(
          "illegal transactionEntries " + transactionEntries + ": must be at least 1");
    }
    if (partitions < 1) {
      throw new IllegalArgumentException(
          "illegal partitions " + partitions + ": must be at least 1");
    }
    stateTopic = stateTopic == null ? DEFAULT_STATE_TOPIC : stateTopic;
    producerOverrides = producerOverrides == null ? Map.of() : Map.copyOf(producerOverrides);
    clientProperties = clientProperties == null ? Map.of() : Map.copyOf(clientProperties);
    inputs = List.copyOf(inputs);
    readOptions = readOptions == null ? ReadOptions.DEFAULT : readOptions;
  }

  /** Options with defaults for everything but where to publish what. */
  public static PublishOptions of(String bootstrap, String topic, List<Path> inputs) {
    return new PublishOptions(
        bootstrap,
        topic,
        inputs,
        null,
        DEFAULT_MAX_RECORD_BYTES,
        false,
        DEFAULT_STATE_TOPIC,
        DEFAULT_TRANSACTION_ENTRIES,
        4,
        false,
        Map.of(),
        Map.of(),
        ReadOptions.DEFAULT);
  }

  public PublishOptions withResume(boolean r) {
    return new PublishOptions(
        bootstrap,
        topic,
        inputs,
        rejectFile,
        maxRecordBytes,
        r,
        stateTopic,
        transactionEntries,
        partitions,
        progress,
        producerOverrides,
        clientProperties,
        readOptions);
  }

  public PublishOptions withRejectFile(Path f) {
    return new PublishOptions(
        bootstrap,
        topic,
        inputs,
        f,
        maxRecordBytes,
        resume,
        stateTopic,
        transactionEntries,
        partitions,
        progress,
        producerOverrides,
        clientProperties,
        readOptions);
  }

  public PublishOptions withMaxRecordBytes(int m) {
    return new PublishOptions(
        bootstrap,
        topic,
        inputs,
        rejectFile,
        m,
        resume,
        stateTopic,
        transactionEntries,
        partitions,
        progress,
        producerOverrides,
        clientProperties,
        readOptions);
  }

  public PublishOptions withTransactionEntries(int n) {
    return new PublishOptions(
        bootstrap,
        topic,
        inputs,
        rejectFile,
        maxRecordBytes,
        resume,
        stateTopic,
        n,
        partitions,
        progress,
        producerOverrides,
        clientProperties,
        readOptions);
  }

  public PublishOptions withPartitions(int n) {
    return new PublishOptions(
        bootstrap,
        topic,
        inputs,
        rejectFile,
        maxRecordBytes,
        resume,
        stateTopic,
        transactionEntries,
        n,
        progress,
        producerOverrides,
        clientProperties,
        readOptions);
  }

  public PublishOptions withProgress(boolean p) {
    return new PublishOptions(
        bootstrap,
        topic,
        inputs,
        rejectFile,
        maxRecordBytes,
        resume,
        stateTopic,
        transactionEntries,
        partitions,
        p,
        producerOverrides,
        clientProperties,
        readOptions);
  }

  public PublishOptions withProducerOverrides(Map<String, String> o) {
    return new PublishOptions(
        bootstrap,
        topic,
        inputs,
        rejectFile,
        maxRecordBytes,
        resume,
        stateTopic,
        transactionEntries,
        partitions,
        progress,
        o,
        clientProperties,
        readOptions);
  }

  public PublishOptions withClientProperties(Map<String, String> p) {
    return new PublishOptions(
        bootstrap,
        topic,
        inputs,
        rejectFile,
        maxRecordBytes,
        resume,
        stateTopic,
        transactionEntries,
        partitions,
        progress,
        producerOverrides,
        p,
        readOptions);
  }

  public PublishOptions withReadOptions(ReadOptions r) {
    return new PublishOptions(
        bootstrap,
        topic,
        inputs,
        rejectFile,
        maxRecordBytes,
        resume,
        stateTopic,
        transactionEntries,
        partitions,
        progress,
        producerOverrides,
        clientProperties,
        r);
  }

  public Path effectiveRejectFile() {
    return rejectFile != null ? rejectFile : Path.of(topic + ".rejects.jsonl");
  }
}
