package dev.winnow.jobs.curriculum;

import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Curriculum records: all on partition 0, so a consumer reads them in rank order; key = document
 * id, value = the document JSON with {@code meta.curriculum}, headers {@code
 * winnow.curriculum.stage} and {@code winnow.curriculum.rank} (decimal text) so a consumer can cut
 * stages without parsing values.
 */
public class CurriculumSerializer implements KafkaRecordSerializationSchema<StagedDocument> {
  public static final String STAGE_HEADER = "winnow.curriculum.stage";
  public static final String RANK_HEADER = "winnow.curriculum.rank";
  private final String topic;

  public CurriculumSerializer(String topic) {
    this.topic = topic;
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(
      StagedDocument d, KafkaSinkContext ctx, Long timestamp) {
    RecordHeaders h = new RecordHeaders();
    h.add(STAGE_HEADER, Integer.toString(d.stage).getBytes(StandardCharsets.UTF_8));
    h.add(RANK_HEADER, Long.toString(d.rank).getBytes(StandardCharsets.UTF_8));
    return new ProducerRecord<>(topic, 0, null, d.id.getBytes(StandardCharsets.UTF_8), d.json, h);
  }
}
