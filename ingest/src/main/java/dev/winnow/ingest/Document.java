package dev.winnow.ingest;

import java.util.Map;
import java.util.Objects;

/**
 * One document of the wire format {@code {"id", "text", "source", "meta"}}, the unit every module
 * passes around.
 *
 * @param id stable identifier; when the input has none, {@link DocumentIds#fromContent(String)}
 *     derives one
 * @param text the document's text (never null)
 * @param source where it came from (a corpus name, a file), may be null
 * @param meta free-form metadata; scores and decisions that later stages attach live here. Never
 *     null.
 */
public record Document(String id, String text, String source, Map<String, Object> meta) {
  public Document {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(text, "text");
    meta = meta == null ? Map.of() : meta;
  }

  /** A document without metadata whose id is derived from its text. */
  public static Document of(String text, String source) {
    return new Document(DocumentIds.fromContent(text), text, source, Map.of());
  }

  /** The same document with other text (ids stay stable through normalization). */
  public Document withText(String newText) {
    return new Document(id, newText, source, meta);
  }

  /** The same document with other metadata. */
  public Document withMeta(Map<String, Object> newMeta) {
    return new Document(id, text, source, newMeta);
  }
}
