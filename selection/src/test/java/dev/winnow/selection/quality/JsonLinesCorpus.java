package dev.winnow.selection.quality;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Test-only reader of the shared corpora ({@code {"id", "text", "source"}} JSON lines, gzip): a
 * minimal extractor of one top-level string field, enough for these files and no JSON library.
 */
final class JsonLinesCorpus {

  private JsonLinesCorpus() {}

  static Path sharedCorpus(String file) {
    String shared = System.getProperty("winnow.shared");
    if (shared == null) {
      throw new IllegalStateException(
          "system property winnow.shared is not set (surefire sets it to <root>/../shared)");
    }
    return Path.of(shared, "corpora", file);
  }

  /** The {@code field} string of every line of the gzip JSON-lines file. */
  static List<String> readField(Path gz, String field) throws IOException {
    List<String> out = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(gz), 1 << 16), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (!line.isBlank()) {
          out.add(stringField(line, field));
        }
      }
    }
    return out;
  }

  /** The value of top-level string {@code field} in one JSON object line. */
  static String stringField(String json, String field) {
    String key = "\"" + field + "\"";
    int i = 0;
    while (true) {
      i = json.indexOf(key, i);
      if (i < 0) {
        throw new IllegalArgumentException(
            "no string field \"" + field + "\" in " + abbreviate(json));
      }
      int j = i + key.length();
      while (j < json.length() && Character.isWhitespace(json.charAt(j))) {
        j++;
      }
      if (j < json.length() && json.charAt(j) == ':') {
        j++;
        while (Character.isWhitespace(json.charAt(j))) {
          j++;
        }
        if (json.charAt(j) != '"') {
          throw new IllegalArgumentException(
              "field \"" + field + "\" is not a string in " + abbreviate(json));
        }
        return parseString(json, j + 1);
      }
      i = j; // the key text appeared inside a value; keep looking
    }
  }

  private static String parseString(String s, int from) {
    StringBuilder sb = new StringBuilder();
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"') {
        return sb.toString();
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      char e = s.charAt(++i);
      switch (e) {
        case 'n' -> sb.append('\n');
        case 't' -> sb.append('\t');
        case 'r' -> sb.append('\r');
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'u' -> {
          sb.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
          i += 4;
        }
        default -> sb.append(e); // \" \\ \/
      }
    }
    throw new IllegalArgumentException("unterminated string in " + abbreviate(s));
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "...";
  }
}
