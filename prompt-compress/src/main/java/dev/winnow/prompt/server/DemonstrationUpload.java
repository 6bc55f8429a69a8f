package dev.winnow.prompt.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.winnow.prompt.InvalidRequestException;
import dev.winnow.prompt.pool.Demonstration;
import dev.winnow.prompt.pool.DemonstrationJson;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The body of {@code POST /v1/pools/{pool}/demonstrations}: JSON lines ({@code
 * application/x-ndjson} or {@code application/jsonl}), a JSON list, or {@code {"demonstrations":
 * [...]}}. All or nothing: the first bad demonstration is a 400 naming it ({@code line 3}, {@code
 * [1].input}, {@code demonstrations[0].output}).
 */
final class DemonstrationUpload {
  private DemonstrationUpload() {}

  static List<Demonstration> parse(byte[] body, String contentType) throws IOException {
    List<Demonstration> demos = new ArrayList<>();
    String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
    if (type.startsWith("application/x-ndjson") || type.startsWith("application/jsonl")) {
      DemonstrationJson.readLines(
          new ByteArrayInputStream(body),
          line -> {
            if (line.error() != null) {
              throw new InvalidRequestException("line " + line.number(), line.error());
            }
            demos.add(line.demonstration());
          });
      return demos;
    }
    JsonNode root = ApiJson.read(body, JsonNode.class);
    JsonNode items = root;
    String prefix = "";
    if (root.isObject()) {
      items = root.get("demonstrations");
      prefix = "demonstrations";
      List<String> other = new ArrayList<>();
      root.fieldNames()
          .forEachRemaining(
              f -> {
                if (!f.equals("demonstrations")) {
                  other.add(f);
                }
              });
      if (!other.isEmpty()) {
        throw new InvalidRequestException(
            other.get(0), "unknown field; the body is {\"demonstrations\": [...]}");
      }
    }
    if (items == null || !items.isArray()) {
      throw new InvalidRequestException(
          prefix.isEmpty() ? "request" : prefix,
          "must be a list of {\"id\", \"input\", \"output\", \"meta\"} (or send JSON lines as application/x-ndjson)");
    }
    for (int i = 0; i < items.size(); i++) {
      demos.add(DemonstrationJson.parse(items.get(i), prefix + "[" + i + "]"));
    }
    return demos;
  }
}
