package dev.winnow.jobs.kafka;

import dev.winnow.jobs.curation.CurationConfig;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;

/** The jobs' Kafka sinks: transactional (exactly once, committed on checkpoints), zstd, with the config's client properties. */
public final class ExactlyOnceSinks {
  private ExactlyOnceSinks() {}

  /** A sink whose transactional ids start with {@code transactionalIdPrefix + "-" + name} (unique per job and sink). */
  public static <T> KafkaSink<T> sink(CurationConfig.Kafka kafka, String transactionalIdPrefix, String name,
      KafkaRecordSerializationSchema<T> serializer) {
    return sink(kafka.bootstrap, kafka.properties, kafka.transactionTimeoutMs, transactionalIdPrefix, name, serializer);
  }

  /** The same from the plain settings, for jobs whose config is not the curation job's Kafka section. */
  public static <T> KafkaSink<T> sink(String bootstrap, Map<String, String> properties, long transactionTimeoutMs,
      String transactionalIdPrefix, String name, KafkaRecordSerializationSchema<T> serializer) {
    Properties p = clientProperties(properties);
    p.setProperty("transaction.timeout.ms", Long.toString(transactionTimeoutMs));
    p.setProperty("compression.type", "zstd");
    p.setProperty("linger.ms", "20");
    return KafkaSink.<T>builder()
        .setBootstrapServers(bootstrap)
        .setKafkaProducerConfig(p)
        .setRecordSerializer(serializer)
        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
        .setTransactionalIdPrefix(transactionalIdPrefix + "-" + name)
        .build();
  }

  /** The config's extra client properties (security, timeouts) for sources and sinks. */
  public static Properties clientProperties(CurationConfig.Kafka kafka) {
    return clientProperties(kafka.properties);
  }

  /** Extra client properties as Kafka's {@link Properties}. */
  public static Properties clientProperties(Map<String, String> properties) {
    Properties p = new Properties();
    properties.forEach(p::setProperty);
    return p;
  }
}
