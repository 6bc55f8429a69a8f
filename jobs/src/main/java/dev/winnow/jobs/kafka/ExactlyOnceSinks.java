package dev.winnow.jobs.kafka;

import dev.winnow.jobs.config.KafkaSection;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;

/**
 * The jobs' Kafka sinks: transactional (exactly once, committed on checkpoints), zstd, with the
 * section's client properties.
 */
public final class ExactlyOnceSinks {
  private ExactlyOnceSinks() {}

  /**
   * A sink whose transactional ids start with {@code transactionalIdPrefix + "-" + name} (unique
   * per job and sink).
   */
  public static <T> KafkaSink<T> sink(
      KafkaSection kafka,
      String transactionalIdPrefix,
      String name,
      KafkaRecordSerializationSchema<T> serializer) {
    Properties p = KafkaClients.properties(kafka.bootstrap, kafka.properties);
    p.setProperty("transaction.timeout.ms", Long.toString(kafka.transactionTimeoutMs));
    // defaults for bulk output; kafka.properties overrides each: compressed, and batches of up to
    // 256 KB (Kafka's default is 16 KB) so that the producers and the broker handle a sixteenth
    // of the requests for the same bytes (bench/results/curation-gigabyte.md)
    p.putIfAbsent("compression.type", "zstd");
    p.putIfAbsent("linger.ms", "20");
    p.putIfAbsent("batch.size", Integer.toString(256 * 1024));
    return KafkaSink.<T>builder()
        .setBootstrapServers(kafka.bootstrap)
        .setKafkaProducerConfig(p)
        .setRecordSerializer(serializer)
        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
        .setTransactionalIdPrefix(transactionalIdPrefix + "-" + name)
        .build();
  }
}
