package dev.winnow.prompt.pool;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.winnow.prompt.InvalidRequestException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/**
 * Reads demonstrations from JSON ({@code {"id", "input", "output", "meta"}}; unknown fields are an
 * error) and from JSON-lines files ({@code .jsonl}, or {@code .jsonl.gz}), naming the field or line
 * at fault.
 */
public final class DemonstrationJson {
  public static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private DemonstrationJson() {}

  /** One validated demonstration; errors name {@code field} and the member at fault. */
  public static Demonstration parse(JsonNode node, String field) {
    if (node == null || !node.isObject()) {
      throw new InvalidRequestException(
          field, "must be an object {\"id\", \"input\", \"output\", \"meta\"}");
    }
    try {
      return MAPPER.treeToValue(node, Demonstration.class).validated(field);
    } catch (JsonMappingException e) {
      String member =
          e.getPath().stream()
              .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
              .collect(Collectors.joining("."));
      throw new InvalidRequestException(
          member.isEmpty() ? field : field + "." + member, e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      throw new InvalidRequestException(field, e.getOriginalMessage());
    }
  }

  public static Demonstration parseLine(String line, String field) {
    JsonNode node;
    try {
      node = MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      throw new InvalidRequestException(field, "not valid JSON: " + e.getOriginalMessage());
    }
    return parse(node, field);
  }

  /**
   * A line of a JSON-lines source: its number (from 1) and either a demonstration or what was
   * wrong.
   */
  public record Line(int number, Demonstration demonstration, String error) {}

  /** Reads every non-blank line of a {@code .jsonl} or {@code .jsonl.gz} file, in order. */
  public static void readLines(Path file, Consumer<Line> sink) throws IOException {
    try (InputStream raw = Files.newInputStream(file)) {
      InputStream in =
          file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
      readLines(in, sink);
    }
  }

  public static void readLines(InputStream in, Consumer<Line> sink) throws IOException {
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    String line;
    int n = 0;
    while ((line = reader.readLine()) != null) {
      n++;
      if (line.isBlank()) {
        continue;
      }
      try {
        sink.accept(new Line(n, parseLine(line, "line " + n), null));
      } catch (InvalidRequestException e) {
        sink.accept(new Line(n, null, e.getMessage()));
      }
    }
  }
}
