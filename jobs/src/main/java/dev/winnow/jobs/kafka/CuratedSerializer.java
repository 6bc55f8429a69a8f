package dev.winnow.jobs.kafka;

import dev.winnow.ingest.serde.DocumentJson;
import dev.winnow.jobs.common.DocRecord;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Kept documents: key = id, value = the document JSON with {@code meta.winnow} annotations. */
public class CuratedSerializer implements KafkaRecordSerializationSchema<DocRecord> {
  private final String topic;

  public CuratedSerializer(String topic) {
    this.topic = topic;
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(
      DocRecord d, KafkaSinkContext ctx, Long timestamp) {
    return new ProducerRecord<>(topic, d.id.getBytes(StandardCharsets.UTF_8), value(d));
  }

  /** The record value: also what the file job writes, one per line. */
  public static byte[] value(DocRecord d) {
    try {
      return DocumentJson.mapper().writeValueAsBytes(d.toJson());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
