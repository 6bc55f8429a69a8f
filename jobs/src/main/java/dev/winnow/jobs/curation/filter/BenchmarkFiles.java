package dev.winnow.jobs.curation.filter;

import com.fasterxml.jackson.databind.JsonNode;
import dev.winnow.ingest.serde.DocumentJson;
import dev.winnow.selection.decontam.BenchmarkIndex;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/** Reads benchmark files (JSONL, one item a line) into a {@link BenchmarkIndex}. */
public final class BenchmarkFiles {
  private BenchmarkFiles() {}

  /** Fails naming the file when a benchmark file does not exist or cannot be read. */
  public static void check(List<String> files, String path) {
    for (int i = 0; i < files.size(); i++) {
      Path f = Path.of(files.get(i));
      if (!Files.isReadable(f)) {
        throw new IllegalArgumentException(
            path
                + "["
                + i
                + "]: benchmark file "
                + f.toAbsolutePath()
                + " does not exist or cannot be read");
      }
    }
  }

  /**
   * The index of every item of {@code files}; lines that are not JSON objects fail, naming them.
   */
  public static BenchmarkIndex index(List<String> files, List<String> fields, int n) {
    BenchmarkIndex idx = new BenchmarkIndex(n);
    for (String file : files) {
      Path f = Path.of(file);
      try (InputStream raw = Files.newInputStream(f);
          BufferedReader r =
              new BufferedReader(
                  new InputStreamReader(
                      file.endsWith(".gz") ? new GZIPInputStream(raw) : raw,
                      StandardCharsets.UTF_8))) {
        String line;
        int no = 0;
        String name = f.getFileName().toString();
        while ((line = r.readLine()) != null) {
          no++;
          if (line.isBlank()) {
            continue;
          }
          JsonNode item;
          try {
            item = DocumentJson.mapper().readTree(line);
          } catch (IOException e) {
            throw new IllegalArgumentException(
                file + ":" + no + ": not a JSON object: " + e.getMessage(), e);
          }
          if (!item.isObject()) {
            throw new IllegalArgumentException(file + ":" + no + ": not a JSON object");
          }
          String id = item.hasNonNull("id") ? item.get("id").asText() : "line " + no;
          idx.add(name, id, text(item, fields));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read benchmark file " + file + ": " + e, e);
      }
    }
    return idx;
  }

  /** The item's text: the fields (or every string field but id) joined by newlines. */
  static String text(JsonNode item, List<String> fields) {
    List<String> parts = new ArrayList<>();
    if (fields.isEmpty()) {
      Iterator<Map.Entry<String, JsonNode>> it = item.fields();
      while (it.hasNext()) {
        var e = it.next();
        if (!e.getKey().equals("id")) {
          strings(e.getValue(), parts);
        }
      }
    } else {
      for (String f : fields) {
        strings(item.path(f), parts);
      }
    }
    return String.join("\n", parts);
  }

  private static void strings(JsonNode v, List<String> out) {
    if (v.isTextual()) {
      out.add(v.asText());
    } else if (v.isArray()) {
      v.forEach(x -> strings(x, out));
    }
  }
}
