package dev.winnow.ingest.io;

import dev.winnow.ingest.Document;
import dev.winnow.ingest.DocumentIds;
import dev.winnow.ingest.serde.DocumentFormatException;
import dev.winnow.ingest.serde.DocumentJson;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Reads documents from JSONL files, gzip-compressed JSONL files ({@code .jsonl.gz}, {@code
 * .json.gz}) and directories.
 *
 * <p>A directory is walked recursively in name order: {@code .jsonl}/{@code .jsonl.gz} files in it
 * are read as JSONL, every other regular, non-hidden file is one plain-text document (UTF-8) whose
 * id is derived from its content and whose {@code meta.path} is its path relative to the directory.
 * Blank JSONL lines are skipped and not counted. Malformed entries are returned as {@link
 * InputEntry} with an error, never thrown: the caller decides where they go. The order is
 * deterministic, so an entry's {@link InputEntry#index()} identifies it across runs.
 */
public final class DocumentReader implements Iterator<InputEntry>, Closeable {
  private final Iterator<Path> files;
  private final List<Path> roots;
  private Path currentFile;
  private Path currentRoot;
  private BufferedReader currentLines;
  private long lineNumber;
  private long index;
  private InputEntry next;

  public DocumentReader(List<Path> inputs) throws IOException {
    List<Path> all = new ArrayList<>();
    List<Path> rootOf = new ArrayList<>();
    for (Path in : inputs) {
      if (!Files.exists(in)) {
        throw new NoSuchFileException(in.toString(), null, "input does not exist");
      }
      if (Files.isDirectory(in)) {
        try (Stream<Path> walk = Files.walk(in)) {
          walk.filter(Files::isRegularFile)
              .filter(p -> !p.getFileName().toString().startsWith("."))
              .sorted()
              .forEach(
                  p -> {
                    all.add(p);
                    rootOf.add(in);
                  });
        }
      } else {
        all.add(in);
        rootOf.add(null);
      }
    }
    this.files = all.iterator();
    this.roots = rootOf;
  }

  /** All input files in reading order (for state fingerprints). */
  public static List<Path> expand(List<Path> inputs) throws IOException {
    List<Path> all = new ArrayList<>();
    for (Path in : inputs) {
      if (Files.isDirectory(in)) {
        try (Stream<Path> walk = Files.walk(in)) {
          walk.filter(Files::isRegularFile)
              .filter(p -> !p.getFileName().toString().startsWith("."))
              .sorted()
              .forEach(all::add);
        }
      } else {
        all.add(in);
      }
    }
    return all;
  }

  static boolean isJsonl(Path p) {
    String n = p.getFileName().toString().toLowerCase();
    return n.endsWith(".jsonl")
        || n.endsWith(".jsonl.gz")
        || n.endsWith(".json.gz")
        || n.endsWith(".ndjson");
  }

  private int fileNo = -1;

  @Override
  public boolean hasNext() {
    if (next != null) {
      return true;
    }
    try {
      next = advance();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + currentFile + ": " + e.getMessage(), e);
    }
    return next != null;
  }

  @Override
  public InputEntry next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    InputEntry e = next;
    next = null;
    return e;
  }

  private InputEntry advance() throws IOException {
    while (true) {
      if (currentLines != null) {
        String line;
        while ((line = currentLines.readLine()) != null) {
          lineNumber++;
          if (line.isBlank()) {
            continue;
          }
          String where = currentFile + ":" + lineNumber;
          long size = line.length();
          try {
            Document d = DocumentJson.parse(line);
            return new InputEntry(index++, where, size, d, null);
          } catch (DocumentFormatException e) {
            return new InputEntry(index++, where, size, null, e.getMessage());
          }
        }
        currentLines.close();
        currentLines = null;
      }
      if (!files.hasNext()) {
        return null;
      }
      currentFile = files.next();
      fileNo++;
      currentRoot = roots.get(fileNo);
      lineNumber = 0;
      if (isJsonl(currentFile)) {
        InputStream in = Files.newInputStream(currentFile);
        if (currentFile.getFileName().toString().toLowerCase().endsWith(".gz")) {
          in = new GZIPInputStream(in, 1 << 16);
        }
        currentLines =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
      } else {
        byte[] raw = Files.readAllBytes(currentFile);
        String where = currentFile.toString();
        String text;
        try {
          text =
              StandardCharsets.UTF_8
                  .newDecoder()
                  .onMalformedInput(CodingErrorAction.REPORT)
                  .onUnmappableCharacter(CodingErrorAction.REPORT)
                  .decode(ByteBuffer.wrap(raw))
                  .toString();
        } catch (CharacterCodingException e) {
          return new InputEntry(index++, where, raw.length, null, "file is not valid UTF-8 text");
        }
        String rel =
            currentRoot == null
                ? currentFile.getFileName().toString()
                : currentRoot.relativize(currentFile).toString();
        String source = currentRoot == null ? null : currentRoot.getFileName().toString();
        Document d = new Document(DocumentIds.fromContent(text), text, source, Map.of("path", rel));
        return new InputEntry(index++, where, raw.length, d, null);
      }
    }
  }

  @Override
  public void close() throws IOException {
    if (currentLines != null) {
      currentLines.close();
    }
  }
}
