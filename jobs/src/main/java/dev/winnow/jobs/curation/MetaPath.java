package dev.winnow.jobs.curation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.winnow.ingest.serde.DocumentJson;
import java.io.UncheckedIOException;

/**
 * A dotted path to a number a document carries: {@code winnow.score.ppl} reads what the job attached
 * ({@link DocRecord#annotations}), any other path ({@code quality}, {@code stats.score}) reads the document's own
 * {@code meta}. So a stage can rank by a score attached upstream in the same run or by one that came with the input.
 */
public final class MetaPath {
  private static final String WINNOW = "winnow.";
  private final String path;
  private final boolean annotation;
  private final String[] steps;

  public MetaPath(String path) {
    if (path == null || path.isBlank() || path.startsWith(".") || path.endsWith(".") || path.contains("..")) {
      throw new IllegalArgumentException("illegal meta path \"" + path + "\": must be dotted field names, e.g. winnow.score.ppl");
    }
    this.path = path;
    this.annotation = path.startsWith(WINNOW);
    this.steps = (annotation ? path.substring(WINNOW.length()) : path).split("\\.");
  }

  /** The number at this path, or null when a step is missing or the value is not a number. */
  public Double number(DocRecord d) {
    String json = annotation ? d.annotations : d.metaJson;
    if (json == null) {
      return null;
    }
    JsonNode n;
    try {
      n = DocumentJson.mapper().readTree(json);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("document " + d.id + ": unreadable " + (annotation ? "annotations" : "meta"), e);
    }
    for (String s : steps) {
      n = n.get(s);
      if (n == null) {
        return null;
      }
    }
    return n.isNumber() ? n.doubleValue() : null;
  }

  @Override
  public String toString() {
    return path;
  }
}
