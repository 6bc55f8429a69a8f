package dev.winnow.it;

import dev.winnow.ingest.Document;
import dev.winnow.ingest.serde.DocumentJson;
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
 * Reads the real corpora in {@code ../shared/corpora} (path from the {@code winnow.shared} system
 * property).
 */
public final class SharedCorpora {
  private SharedCorpora() {}

  public static Path root() {
    return Path.of(System.getProperty("winnow.shared", "../shared")).toAbsolutePath().normalize();
  }

  /** The first {@code limit} documents of {@code corpora/<name>.jsonl.gz}. */
  public static List<Document> read(String name, int limit) throws Exception {
    Path f = root().resolve("corpora").resolve(name + ".jsonl.gz");
    List<Document> out = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(f)), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null && out.size() < limit) {
        out.add(DocumentJson.parse(line));
      }
    } catch (IOException e) {
      throw new IOException(
          "cannot read " + f + " (tests need ../shared beside the project): " + e.getMessage(), e);
    }
    return out;
  }
}
