package dev.winnow.jobs.kafka;

import dev.winnow.jobs.common.DeadLetterRecord;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Dead letters: the original key and value bytes unchanged, with headers {@code winnow.error} (the
 * reason) and {@code winnow.source.topic}, {@code winnow.source.partition}, {@code
 * winnow.source.offset} (where it was read).
 */
public class DeadLetterSerializer implements KafkaRecordSerializationSchema<DeadLetterRecord> {
  public static final String ERROR_HEADER = "winnow.error";
  private final String topic;

  public DeadLetterSerializer(String topic) {
    this.topic = topic;
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(
      DeadLetterRecord d, KafkaSinkContext ctx, Long timestamp) {
    RecordHeaders h = new RecordHeaders();
    h.add(ERROR_HEADER, d.reason.getBytes(StandardCharsets.UTF_8));
    if (d.topic != null) {
      h.add("winnow.source.topic", d.topic.getBytes(StandardCharsets.UTF_8));
      h.add(
          "winnow.source.partition",
          Integer.toString(d.partition).getBytes(StandardCharsets.UTF_8));
      h.add("winnow.source.offset", Long.toString(d.offset).getBytes(StandardCharsets.UTF_8));
    }
    return new ProducerRecord<>(topic, null, null, d.key, d.value, h);
  }
}
