package dev.winnow.jobs.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The {@code kafka} section every job shares: where it reads and writes, and the client properties
 * (security, timeouts) that every Kafka client of the job uses: its sources and sinks, and the
 * admin and consumer clients it runs outside Flink (creating topics, pinning a reference topic).
 * Checked by {@link #validate}, in one place for all jobs.
 */
public class KafkaSection implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Bootstrap servers; {@code winnow curate --bootstrap} overrides it. */
  public String bootstrap = "localhost:9092";

  /** Consumer group of the source (offsets are committed on checkpoints, for monitoring). */
  public String groupId = "winnow-curation";

  /**
   * Transaction timeout of the exactly-once sinks. Must not exceed the broker's {@code
   * transaction.max.timeout.ms} (default 900,000 ms = 15 min); the connector's own default (1 h)
   * would be refused by a default broker. Must exceed the checkpoint interval by a wide margin,
   * since a transaction stays open until its checkpoint completes.
   */
  public long transactionTimeoutMs = 600_000;

  /** Prefix of the sinks' transactional ids; unique per job on a cluster. */
  public String transactionalIdPrefix = "winnow-curation";

  /** Extra Kafka client properties (security, timeouts) for source and sinks. */
  public Map<String, String> properties = new LinkedHashMap<>();

  /**
   * Where {@link #properties} came from, for error messages (set by whoever read them; not a config
   * field).
   */
  @JsonIgnore
  public String propertiesSource =
      "the kafka.properties section of the job's configuration (none given)";

  /**
   * The most a default broker allows ({@code transaction.max.timeout.ms}, 15 min): a transactional
   * producer asking for more is refused when it starts. One cap for every job's sinks.
   */
  public static final long MAX_TRANSACTION_TIMEOUT_MS = 900_000;

  /**
   * A section with the given consumer group and transactional-id prefix and the defaults for the
   * rest.
   */
  public static KafkaSection named(String groupId, String transactionalIdPrefix) {
    KafkaSection k = new KafkaSection();
    k.groupId = groupId;
    k.transactionalIdPrefix = transactionalIdPrefix;
    return k;
  }

  /**
   * Adds the client properties of a Java properties file (as Kafka's own tools take with {@code
   * --command-config}), over those already set, and remembers the file as their source.
   *
   * @throws NoSuchFileException when the file does not exist
   */
  public KafkaSection readProperties(Path file, String how) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(
          file.toString(), null, "Kafka client properties file does not exist (" + how + ")");
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    }
    p.stringPropertyNames().stream()
        .sorted()
        .forEach(k -> properties.put(k, p.getProperty(k).trim()));
    propertiesSource = file.toAbsolutePath() + " (" + how + ")";
    return this;
  }

  /**
   * Checks the section at {@code path}; the group id and the transactional-id prefix may be null
   * where the job derives them.
   */
  public void validate(ConfigChecks check, String path) {
    check.nonBlank(path + ".bootstrap", bootstrap);
    check.require(
        groupId == null || !groupId.isBlank(),
        path + ".groupId",
        "must be a consumer group name or absent");
    check.require(
        transactionalIdPrefix == null || !transactionalIdPrefix.isBlank(),
        path + ".transactionalIdPrefix",
        "must be a prefix of transactional ids or absent");
    check.range(
        path + ".transactionTimeoutMs",
        transactionTimeoutMs,
        10_000,
        MAX_TRANSACTION_TIMEOUT_MS,
        "a default broker refuses more than its transaction.max.timeout.ms of 15 min; raise that on the brokers first");
    check.require(
        properties != null,
        path + ".properties",
        "must be a map of Kafka client properties (may be empty)");
    properties.forEach(
        (k, v) -> check.require(v != null, path + ".properties." + k, "must have a value"));
  }
}
