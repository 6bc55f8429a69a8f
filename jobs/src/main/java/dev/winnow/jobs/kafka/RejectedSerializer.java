package dev.winnow.jobs.kafka;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.winnow.ingest.serde.DocumentJson;
import dev.winnow.jobs.common.RejectedRecord;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Rejected documents: key = id, value = the document JSON (text included, so nothing is lost and a
 * rejection can be overturned) plus {@code "rejection": {"stage", "filter", "rule", "value",
 * "threshold", "duplicate_of"}} and the fields of {@link RejectedRecord#details}.
 */
public class RejectedSerializer implements KafkaRecordSerializationSchema<RejectedRecord> {
  private final String topic;

  public RejectedSerializer(String topic) {
    this.topic = topic;
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(
      RejectedRecord r, KafkaSinkContext ctx, Long timestamp) {
    return new ProducerRecord<>(topic, r.doc.id.getBytes(StandardCharsets.UTF_8), value(r));
  }

  /** The record value: also what the file job writes, one per line. */
  public static byte[] value(RejectedRecord r) {
    try {
      return DocumentJson.mapper().writeValueAsBytes(toJson(r));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The rejected document as written: the document JSON plus its {@code rejection} object. */
  public static ObjectNode toJson(RejectedRecord r) {
    ObjectNode o = r.doc.toJson();
    ObjectNode rej = o.putObject("rejection");
    rej.put("stage", r.stage);
    rej.put("filter", r.filter);
    rej.put("rule", r.rule);
    if (r.valueText != null) {
      rej.put("value", r.valueText);
      rej.put("score", r.value);
    } else {
      rej.put("value", r.value);
    }
    rej.put("threshold", r.threshold);
    if (r.duplicateOf != null) {
      rej.put("duplicate_of", r.duplicateOf);
    }
    if (r.cluster != null) {
      rej.put("cluster", r.cluster);
    }
    if (r.details != null) {
      try {
        rej.setAll((ObjectNode) DocumentJson.mapper().readTree(r.details));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return o;
  }
}
