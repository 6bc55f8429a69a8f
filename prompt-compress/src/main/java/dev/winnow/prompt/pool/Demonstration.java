package dev.winnow.prompt.pool;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.winnow.prompt.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One in-context demonstration: an input, the output a model should give for it, and free-form
 * metadata. The wire form is {@code {"id", "input", "output", "meta"}}; without an {@code id} the
 * id is {@code d} + the first 16 hex digits of SHA-256 over {@code input + U+0000 + output}, so the
 * same pair uploaded twice is one demonstration.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Demonstration(
    @JsonProperty("id") String id,
    @JsonProperty("input") String input,
    @JsonProperty("output") String output,
    @JsonProperty("meta") ObjectNode meta) {

  /** Longest id accepted: ids are Lucene terms and URL path segments. */
  public static final int MAX_ID_LENGTH = 512;

  /** Validates and fills in the derived id; {@code field} prefixes the names in error messages. */
  public Demonstration validated(String field) {
    if (input == null || input.isBlank()) {
      throw new InvalidRequestException(
          field + ".input", "must be a non-blank string (the demonstration's input)");
    }
    if (output == null) {
      throw new InvalidRequestException(
          field + ".output", "must be a string (the demonstration's output)");
    }
    String theId = id == null ? derivedId(input, output) : id;
    if (theId.isEmpty()
        || theId.length() > MAX_ID_LENGTH
        || theId.chars().anyMatch(Character::isISOControl)) {
      throw new InvalidRequestException(
          field + ".id",
          "illegal value \""
              + theId
              + "\": must be 1 to "
              + MAX_ID_LENGTH
              + " characters without control characters (or absent: derived from the text)");
    }
    return new Demonstration(
        theId, input, output, meta == null ? JsonNodeFactory.instance.objectNode() : meta);
  }

  /**
   * The demonstration as it appears in a prompt: {@code Input: …} and {@code Output: …} on their
   * own lines.
   */
  public String render() {
    return "Input: " + input + "\nOutput: " + output;
  }

  /** How a query is put after the demonstrations: the same template with the output left open. */
  public static String renderQuery(String query) {
    return "Input: " + query + "\nOutput:";
  }

  static String derivedId(String input, String output) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(input.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(output.getBytes(StandardCharsets.UTF_8));
      return "d" + HexFormat.of().formatHex(sha.digest(), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  /** Metadata as a JSON node, never null. */
  public JsonNode metaOrEmpty() {
    return meta == null ? JsonNodeFactory.instance.objectNode() : meta;
  }
}
