package dev.winnow.jobs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.winnow.ingest.serde.DocumentJson;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** Reading the file commands' JSONL outputs (gzip or not) in the command tests. */
final class SelectionCommandsTestSupport {
  private SelectionCommandsTestSupport() {}

  static List<JsonNode> readJsonl(Path f) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    InputStream raw = Files.newInputStream(f);
    InputStream in = f.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String l;
      while ((l = r.readLine()) != null) {
        out.add(DocumentJson.mapper().readTree(l));
      }
    }
    return out;
  }
}
