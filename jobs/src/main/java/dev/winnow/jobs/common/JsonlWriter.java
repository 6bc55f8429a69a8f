package dev.winnow.jobs.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.winnow.ingest.io.InputEntry;
import dev.winnow.ingest.serde.DocumentJson;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * One JSON object per line into a file; a name ending in {@code .gz} is gzip-compressed; parent
 * folders are created. The file commands' outputs and every reject file (file commands and the
 * curriculum job) are written with it. A reject file ({@link #rejects}) is created with its first
 * line, so a run that rejects nothing leaves no file.
 */
public final class JsonlWriter implements Closeable {
  private final Path file;
  private BufferedWriter out;
  private long lines;
  private boolean closed;

  private JsonlWriter(Path file, boolean eager) throws IOException {
    this.file = file;
    if (eager) {
      open();
    }
  }

  /** A file created now (empty if nothing is written). */
  public static JsonlWriter create(Path file) throws IOException {
    return new JsonlWriter(file, true);
  }

  /** A reject file: created with its first line, so none exists when nothing was rejected. */
  public static JsonlWriter rejects(Path file) {
    try {
      return new JsonlWriter(file, false);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // not reached: nothing is opened
    }
  }

  private void open() throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    OutputStream raw = Files.newOutputStream(file);
    if (file.getFileName().toString().endsWith(".gz")) {
      raw = new GZIPOutputStream(raw, 1 << 16);
    }
    out = new BufferedWriter(new OutputStreamWriter(raw, StandardCharsets.UTF_8), 1 << 16);
  }

  public void write(JsonNode node) throws IOException {
    if (out == null) {
      if (closed) {
        throw new IOException("JSONL file " + file + " is closed");
      }
      open();
    }
    out.write(node.toString());
    out.newLine();
    lines++;
  }

  /**
   * A reject line {@code {"location", "reason"}}: where the bad input was ({@code file:line},
   * topic-partition@offset), why.
   */
  public void reject(String location, String reason) {
    ObjectNode o = DocumentJson.mapper().createObjectNode();
    o.put("location", location);
    o.put("reason", reason);
    try {
      write(o);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write reject file " + file, e);
    }
  }

  /** The reject line of a malformed input entry. */
  public void reject(InputEntry e) {
    reject(e.location(), e.error());
  }

  /** Lines written so far. */
  public long lines() {
    return lines;
  }

  public Path path() {
    return file;
  }

  @Override
  public void close() throws IOException {
    closed = true;
    if (out != null) {
      out.close();
      out = null;
    }
  }
}
