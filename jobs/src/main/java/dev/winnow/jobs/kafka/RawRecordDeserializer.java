package dev.winnow.jobs.kafka;

import dev.winnow.jobs.common.RawRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Keeps Kafka records as bytes with their position: decoding happens in the job, where failures can
 * be routed.
 */
public class RawRecordDeserializer implements KafkaRecordDeserializationSchema<RawRecord> {
  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RawRecord> out) {
    RawRecord r = new RawRecord();
    r.key = record.key();
    r.value = record.value();
    r.topic = record.topic();
    r.partition = record.partition();
    r.offset = record.offset();
    out.collect(r);
  }

  @Override
  public TypeInformation<RawRecord> getProducedType() {
    return TypeInformation.of(RawRecord.class);
  }
}
