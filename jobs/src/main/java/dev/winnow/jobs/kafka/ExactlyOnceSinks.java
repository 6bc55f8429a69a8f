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
    p.setProperty("compression.type", "zstd");
    p.setProperty("linger.ms", "20");
    return KafkaSink.<T>builder()
        .setBootstrapServers(kafka.bootstrap)
        .setKafkaProducerConfig(p)
        .setRecordSerializer(serializer)
        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
        .setTransactionalIdPrefix(transactionalIdPrefix + "-" + name)
        .build();
  }
}
