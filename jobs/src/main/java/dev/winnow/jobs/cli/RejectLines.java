package dev.winnow.jobs.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.winnow.ingest.io.InputEntry;
import dev.winnow.ingest.serde.DocumentJson;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Writes a malformed input entry to a command's reject file: {@code {"location", "reason"}}, one per line. */
final class RejectLines {
  private RejectLines() {}

  static void write(BufferedWriter rejects, InputEntry e) {
    ObjectNode o = DocumentJson.mapper().createObjectNode();
    o.put("location", e.location());
    o.put("reason", e.error());
    try {
      rejects.write(o.toString());
      rejects.newLine();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }
}
