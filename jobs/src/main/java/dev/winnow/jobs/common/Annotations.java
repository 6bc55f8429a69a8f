package dev.winnow.jobs.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.winnow.ingest.serde.DocumentJson;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/**
 * Reading and writing what the job attaches under a document's {@code meta.winnow} ({@link
 * DocRecord#annotations}), and reading a field of its metadata by path. Each stage adds one object
 * under its own name ({@code score}, {@code ifd}, {@code dsir}, {@code ccnet}), so the annotations
 * travel into {@code curated} and selection can be re-run on that topic without re-scoring.
 */
public final class Annotations {
  /**
   * Paths into the job's own annotations start with this; other {@code meta.} paths read the
   * document's metadata.
   */
  public static final String WINNOW = "meta.winnow.";

  private Annotations() {}

  /**
   * The annotations with {@code name} set to an object filled by {@code fill} (an earlier one of
   * that name is replaced).
   */
  public static String with(String annotations, String name, Consumer<ObjectNode> fill) {
    try {
      ObjectNode a =
          annotations == null
              ? DocumentJson.mapper().createObjectNode()
              : (ObjectNode) DocumentJson.mapper().readTree(annotations);
      fill.accept(a.putObject(name));
      return a.toString();
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes a finite number, or null for NaN and infinities (JSON has no NaN). */
  public static void putFinite(ObjectNode o, String field, double v) {
    if (Double.isFinite(v)) {
      o.put(field, v);
    } else {
      o.putNull(field);
    }
  }

  /**
   * The node at a dotted path such as {@code meta.winnow.score.ppl_word} (the job's annotations) or
   * {@code meta.prompt} (the document's own metadata); a missing node when any step is absent.
   */
  public static JsonNode at(DocRecord d, String path) {
    if (!path.startsWith("meta.")) {
      throw new IllegalArgumentException(
          "illegal metadata path \"" + path + "\": must start with \"meta.\"");
    }
    boolean own = path.startsWith(WINNOW);
    String json = own ? d.annotations : d.metaJson;
    if (json == null) {
      return MissingNode.getInstance();
    }
    try {
      // the job's own annotations are the object under meta.winnow: the path below it reads them
      return MetaPath.of(own ? path.substring(WINNOW.length()) : path)
          .at(DocumentJson.mapper().readTree(json));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("document " + d.id + " has unreadable metadata", e);
    }
  }

  /** The number at {@code path}, or NaN when it is absent, null or not a number. */
  public static double number(DocRecord d, String path) {
    JsonNode n = at(d, path);
    return n.isNumber() ? n.asDouble() : Double.NaN;
  }
}
