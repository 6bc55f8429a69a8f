package dev.winnow.jobs.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.winnow.ingest.Document;
import dev.winnow.ingest.serde.DocumentJson;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * A document as it travels between the curation job's operators: a Flink POJO (public fields,
 * no-arg constructor) so Flink serializes it with its fast POJO serializer instead of Kryo. {@code
 * metaJson} carries the free-form metadata as JSON text; {@code annotations} collects what the job
 * adds (JSON object text, may be null).
 */
public class DocRecord {
  public String id;
  public String text;
  public String source;
  public String metaJson;

  /** What the job attaches under {@code meta.winnow}, as a JSON object, or null. */
  public String annotations;

  /** Where the record was read: topic-partition@offset. Unique per input record. */
  public String origin;

  /** Near-dedup: how many band answers the decision step waits for. */
  public int pendingBands;

  public DocRecord() {}

  public static DocRecord of(Document d, String origin) {
    DocRecord r = new DocRecord();
    r.id = d.id();
    r.text = d.text();
    r.source = d.source();
    try {
      r.metaJson = d.meta().isEmpty() ? null : DocumentJson.mapper().writeValueAsString(d.meta());
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    r.origin = origin;
    return r;
  }

  /**
   * The JSON object written to Kafka: the wire format with the job's annotations under {@code
   * meta.winnow}.
   */
  @SuppressWarnings("unchecked")
  public ObjectNode toJson() {
    try {
      Map<String, Object> meta =
          metaJson == null
              ? new java.util.LinkedHashMap<>()
              : DocumentJson.mapper().readValue(metaJson, java.util.LinkedHashMap.class);
      ObjectNode o = DocumentJson.toTree(new Document(id, text, source, meta));
      if (annotations != null) {
        ((ObjectNode) o.get("meta")).set("winnow", DocumentJson.mapper().readTree(annotations));
      }
      return o;
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot serialize document " + id, e);
    }
  }
}
