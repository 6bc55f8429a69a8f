package dev.winnow.jobs.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * A dotted path into a document's metadata, the one syntax of every option and config field that
 * names a value there: {@code meta.winnow.score.ppl} or, where the {@code meta.} is implied, {@code
 * winnow.score.ppl}. The curation job keeps what it attached under {@code meta.winnow} apart from
 * the document's own metadata ({@link Annotations#at}); everything else reads one JSON tree.
 */
public final class MetaPath implements Serializable {
  private static final long serialVersionUID = 1L;
  private final String path;
  private final String[] steps;

  private MetaPath(String path, String[] steps) {
    this.path = path;
    this.steps = steps;
  }

  /**
   * A path relative to {@code meta}; a leading {@code meta.} is taken off.
   *
   * @throws IllegalArgumentException for a blank path or an empty step ({@code a..b}, a trailing
   *     dot)
   */
  public static MetaPath of(String path) {
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException(
          "illegal metadata path "
              + (path == null ? "null" : "\"" + path + "\"")
              + ": must be a dotted path such as meta.winnow.score.ppl");
    }
    String rel = path.startsWith("meta.") ? path.substring("meta.".length()) : path;
    String[] steps = rel.split("\\.", -1);
    if (Arrays.stream(steps).anyMatch(String::isEmpty)) {
      throw new IllegalArgumentException("illegal metadata path \"" + path + "\": a step is empty");
    }
    return new MetaPath(path, steps);
  }

  /** The steps below {@code meta}. */
  public List<String> steps() {
    return List.of(steps);
  }

  /**
   * The node at this path under {@code meta} (the metadata object), or a missing node when a step
   * is absent.
   */
  public JsonNode at(JsonNode meta) {
    JsonNode n = meta == null ? MissingNode.getInstance() : meta;
    for (String s : steps) {
      n = n.path(s);
    }
    return n;
  }

  /** The number at this path, or null when absent, null or not a number. */
  public Double number(JsonNode meta) {
    JsonNode n = at(meta);
    return n.isNumber() ? n.asDouble() : null;
  }

  @Override
  public String toString() {
    return path;
  }
}
