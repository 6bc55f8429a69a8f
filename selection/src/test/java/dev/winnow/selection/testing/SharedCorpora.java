package dev.winnow.selection.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.GZIPInputStream;

/** Test access to ../shared/corpora (the {@code winnow.shared} system property). */
public final class SharedCorpora {
  private SharedCorpora() {}

  /**
   * One corpus document; {@code corpus} is the file it came from ({@code news}, {@code web}, ...).
   */
  public record Doc(String id, String text, String source, String corpus) {
    /** The corpora README's held-out split: {@code crc32(id) % 20 == 0}. */
    public boolean heldOut() {
      return crc32(id) % 20 == 0;
    }
  }

  public static Path root() {
    String shared = System.getProperty("winnow.shared");
    if (shared == null) {
      throw new IllegalStateException(
          "system property winnow.shared is not set (the parent pom sets it to <root>/../shared)");
    }
    return Path.of(shared);
  }

  /** Every document of {@code corpora/<name>.jsonl.gz}, in file order. */
  public static List<Doc> read(String name) {
    ObjectMapper json = new ObjectMapper();
    List<Doc> out = new ArrayList<>();
    Path file = root().resolve("corpora").resolve(name + ".jsonl.gz");
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file), 1 << 16),
                StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (!line.isBlank()) {
          JsonNode n = json.readTree(line);
          out.add(
              new Doc(
                  n.get("id").asText(),
                  n.get("text").asText(),
                  n.path("source").asText(name),
                  name));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  public static long crc32(String s) {
    CRC32 c = new CRC32();
    c.update(s.getBytes(StandardCharsets.UTF_8));
    return c.getValue();
  }
}
