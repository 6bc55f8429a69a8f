package dev.winnow.jobs.kafka;

import dev.winnow.jobs.common.RawRecord;
import dev.winnow.jobs.config.JobSection;
import dev.winnow.jobs.config.KafkaSection;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The jobs' Kafka sources: raw records (key, value, origin) of committed transactions only, with
 * the section's servers and client properties. Each job adds its own bounds and offset committing.
 */
public final class ReadCommittedSource {
  private ReadCommittedSource() {}

  /**
   * A source builder for {@code topic} in consumer group {@code groupId}, starting at {@code
   * start}.
   */
  public static KafkaSourceBuilder<RawRecord> builder(
      KafkaSection kafka, String topic, String groupId, OffsetsInitializer start) {
    return KafkaSource.<RawRecord>builder()
        .setBootstrapServers(kafka.bootstrap)
        .setTopics(topic)
        .setGroupId(groupId)
        .setStartingOffsets(start)
        .setDeserializer(new RawRecordDeserializer())
        .setProperties(KafkaClients.properties(kafka.bootstrap, kafka.properties))
        .setProperty("isolation.level", "read_committed");
  }

  /** The group's committed offsets, or where {@code job.startFrom} says when it has none. */
  public static OffsetsInitializer committedOr(JobSection job) {
    return OffsetsInitializer.committedOffsets(
        "latest".equals(job.startFrom) ? OffsetResetStrategy.LATEST : OffsetResetStrategy.EARLIEST);
  }
}
