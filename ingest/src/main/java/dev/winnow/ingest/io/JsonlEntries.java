package dev.winnow.ingest.io;

import dev.winnow.ingest.Document;
import dev.winnow.ingest.serde.DocumentFormatException;
import dev.winnow.ingest.serde.DocumentJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** The lines of a JSONL file ({@code .gz}: gzip-compressed); blank lines are skipped. */
final class JsonlEntries implements FileEntries {
  private final Path file;
  private final BufferedReader lines;
  private long lineNumber;

  JsonlEntries(Path file) throws IOException {
    this.file = file;
    InputStream in = Files.newInputStream(file);
    if (file.getFileName().toString().toLowerCase().endsWith(".gz")) {
      in = new GZIPInputStream(in, 1 << 16);
    }
    this.lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
  }

  private boolean failed;

  @Override
  public InputEntry next() throws IOException {
    if (failed) {
      return null;
    }
    String line;
    while ((line = readLine()) != null) {
      lineNumber++;
      if (line.isBlank()) {
        continue;
      }
      String where = file + ":" + lineNumber;
      long size = line.length();
      try {
        Document d = DocumentJson.parse(line);
        return new InputEntry(0, where, size, d, null);
      } catch (DocumentFormatException e) {
        return new InputEntry(0, where, size, null, e.getMessage());
      }
    }
    if (failed) {
      return new InputEntry(
          0,
          file + ":" + (lineNumber + 1),
          0,
          null,
          "the file ends in a broken or cut-off gzip stream after line "
              + lineNumber
              + ": "
              + error);
    }
    return null;
  }

  private String error;

  /** The next line; on a broken gzip stream, null with {@link #failed} set. */
  private String readLine() throws IOException {
    try {
      return lines.readLine();
    } catch (java.util.zip.ZipException | java.io.EOFException e) {
      failed = true;
      error = FileEntries.message(e);
      return null;
    }
  }

  @Override
  public void close() throws IOException {
    lines.close();
  }
}
