package dev.winnow.ingest.serde;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.winnow.ingest.Document;
import dev.winnow.ingest.DocumentIds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one JSON serde of the document wire format, used by every module (files, Kafka, the HTTP
 * API).
 *
 * <p>Reading is strict about what matters and lenient about the rest: {@code text} must be a
 * string; {@code id} may be missing (then it is derived from the content) but if present must be a
 * string or a number; {@code source} must be a string or absent; {@code meta} must be an object or
 * absent. Unknown top-level fields are kept in {@code meta} so nothing the producer sent is lost.
 * Input must be valid UTF-8.
 */
public final class DocumentJson {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .build();

  private DocumentJson() {}

  /** The shared mapper (thread-safe once configured). */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** Parses one document from UTF-8 JSON bytes. */
  public static Document parse(byte[] bytes) throws DocumentFormatException {
    if (bytes == null) {
      throw new DocumentFormatException("record has no value (null)");
    }
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
    } catch (CharacterCodingException e) {
      throw new DocumentFormatException("record is not valid UTF-8: " + e.getMessage());
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(bytes);
    } catch (IOException e) {
      throw new DocumentFormatException("invalid JSON: " + firstLine(e), e);
    }
    return fromTree(node);
  }

  /** Parses one document from a JSON string (one line of a JSONL file). */
  public static Document parse(String json) throws DocumentFormatException {
    JsonNode node;
    try {
      node = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new DocumentFormatException("invalid JSON: " + firstLine(e), e);
    }
    return fromTree(node);
  }

  private static Document fromTree(JsonNode node) throws DocumentFormatException {
    if (node == null || node.isMissingNode()) {
      throw new DocumentFormatException("empty record");
    }
    if (!node.isObject()) {
      throw new DocumentFormatException(
          "expected a JSON object, got " + node.getNodeType().name().toLowerCase());
    }
    JsonNode text = node.get("text");
    if (text == null || text.isNull()) {
      throw new DocumentFormatException("missing field \"text\"");
    }
    if (!text.isTextual()) {
      throw new DocumentFormatException(
          "field \"text\" must be a string, got " + text.getNodeType().name().toLowerCase());
    }
    JsonNode idNode = node.get("id");
    String id;
    if (idNode == null || idNode.isNull()) {
      id = DocumentIds.fromContent(text.textValue());
    } else if (idNode.isTextual() || idNode.isNumber()) {
      id = idNode.asText();
      if (id.isBlank()) {
        throw new DocumentFormatException("field \"id\" is blank");
      }
    } else {
      throw new DocumentFormatException(
          "field \"id\" must be a string or number, got "
              + idNode.getNodeType().name().toLowerCase());
    }
    JsonNode sourceNode = node.get("source");
    String source = null;
    if (sourceNode != null && !sourceNode.isNull()) {
      if (!sourceNode.isTextual()) {
        throw new DocumentFormatException(
            "field \"source\" must be a string, got "
                + sourceNode.getNodeType().name().toLowerCase());
      }
      source = sourceNode.textValue();
    }
    Map<String, Object> meta = new LinkedHashMap<>();
    JsonNode metaNode = node.get("meta");
    if (metaNode != null && !metaNode.isNull()) {
      if (!metaNode.isObject()) {
        throw new DocumentFormatException(
            "field \"meta\" must be an object, got " + metaNode.getNodeType().name().toLowerCase());
      }
      meta.putAll(MAPPER.convertValue(metaNode, Map.class));
    }
    var fields = node.fields();
    while (fields.hasNext()) {
      var e = fields.next();
      switch (e.getKey()) {
        case "id", "text", "source", "meta" -> {}
        default -> meta.put(e.getKey(), MAPPER.convertValue(e.getValue(), Object.class));
      }
    }
    return new Document(id, text.textValue(), source, meta);
  }

  /** Serializes a document as compact UTF-8 JSON. */
  public static byte[] toBytes(Document doc) {
    try {
      return MAPPER.writeValueAsBytes(toTree(doc));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot serialize document " + doc.id(), e);
    }
  }

  /** Serializes a document as one compact JSON line (no trailing newline). */
  public static String toJson(Document doc) {
    try {
      return MAPPER.writeValueAsString(toTree(doc));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot serialize document " + doc.id(), e);
    }
  }

  /** The document as a JSON tree, fields in wire order; callers may add fields before writing. */
  public static ObjectNode toTree(Document doc) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("id", doc.id());
    o.put("text", doc.text());
    if (doc.source() != null) {
      o.put("source", doc.source());
    }
    o.set("meta", MAPPER.valueToTree(doc.meta()));
    return o;
  }

  private static String firstLine(Exception e) {
    String m = e.getMessage();
    if (m == null) {
      return e.getClass().getSimpleName();
    }
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  static {
    // Guard against the parser silently accepting trailing garbage after the object.
    MAPPER.getFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    MAPPER.enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }
}
