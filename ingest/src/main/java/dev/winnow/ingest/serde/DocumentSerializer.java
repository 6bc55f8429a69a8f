package dev.winnow.ingest.serde;

import dev.winnow.ingest.Document;
import org.apache.kafka.common.serialization.Serializer;

/** Kafka serializer of the document wire format. */
public class DocumentSerializer implements Serializer<Document> {
  @Override
  public byte[] serialize(String topic, Document data) {
    return data == null ? null : DocumentJson.toBytes(data);
  }
}
