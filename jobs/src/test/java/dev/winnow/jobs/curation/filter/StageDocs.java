package dev.winnow.jobs.curation.filter;

import com.fasterxml.jackson.databind.JsonNode;
import dev.winnow.ingest.Document;
import dev.winnow.ingest.serde.DocumentJson;
import dev.winnow.jobs.common.DocRecord;
import java.util.Map;

/** Documents for the filter-stage tests. */
final class StageDocs {
  private StageDocs() {}

  static DocRecord doc(String id, String text) {
    return DocRecord.of(new Document(id, text, "test", Map.of()), "t-0@0");
  }

  static DocRecord doc(String id, String text, Map<String, Object> meta) {
    return DocRecord.of(new Document(id, text, "test", meta), "t-0@0");
  }

  /** {@code meta.winnow.<name>} of a document. */
  static JsonNode annotation(DocRecord d, String name) throws Exception {
    return DocumentJson.mapper().readTree(d.annotations).path(name);
  }
}
