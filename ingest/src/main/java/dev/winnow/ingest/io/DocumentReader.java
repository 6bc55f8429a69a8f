package dev.winnow.ingest.io;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.Stream;

/**
 * Reads documents from files and directories, each file by its {@link InputFormat} (its name):
 * JSONL ({@code .jsonl}, {@code .ndjson}, gzip-compressed {@code .jsonl.gz}, {@code .json.gz}),
 * WARC ({@code .warc}, {@code .warc.gz}: the main text of HTML responses), WET ({@code .wet},
 * {@code .warc.wet.gz}: conversion records as they are), Parquet ({@code .parquet}: one row per
 * document, {@link ReadOptions#textColumn()}), HTML ({@code .html}, {@code .htm}: the page's main
 * text) and any other file as one plain-text document.
 *
 * <p>A directory is walked recursively in name order; hidden files are skipped. A plain-text file
 * (UTF-8) gets an id derived from its content and {@code meta.path} = its path relative to the
 * directory. Blank JSONL lines and WARC records that are not documents by type ({@code warcinfo},
 * {@code request}, {@code metadata}, …) are skipped and not counted. Malformed entries (a bad JSON
 * line, a non-HTML or truncated response, an undecodable payload, a Parquet row without text) are
 * returned as {@link InputEntry} with an error, never thrown: the caller decides where they go. The
 * order is deterministic, so an entry's {@link InputEntry#index()} identifies it across runs.
 */
public final class DocumentReader implements Iterator<InputEntry>, Closeable {
  private final Iterator<Path> files;
  private final List<Path> roots;
  private final ReadOptions options;
  private Path currentFile;
  private FileEntries current;
  private long index;
  private InputEntry next;

  public DocumentReader(List<Path> inputs) throws IOException {
    this(inputs, ReadOptions.DEFAULT);
  }

  public DocumentReader(List<Path> inputs, ReadOptions options) throws IOException {
    this.options = options;
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
    return InputFormat.of(p) == InputFormat.JSONL;
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
      if (current != null) {
        InputEntry e = current.next();
        if (e != null) {
          return new InputEntry(index++, e.location(), e.bytes(), e.document(), e.error());
        }
        current.close();
        current = null;
      }
      if (!files.hasNext()) {
        return null;
      }
      currentFile = files.next();
      fileNo++;
      current = open(currentFile, roots.get(fileNo), options);
    }
  }

  /**
   * The entries of one file, by its {@link InputFormat}. A file that cannot be opened as its format
   * (a Parquet file without a valid footer, a cut-off download) is one bad entry with the reason,
   * and reading goes on with the next file.
   */
  static FileEntries open(Path file, Path root, ReadOptions options) throws IOException {
    InputFormat format = InputFormat.of(file);
    try {
      return switch (format) {
        case JSONL -> new JsonlEntries(file);
        case WARC -> new WarcEntries(file, false);
        case WET -> new WarcEntries(file, true);
        case PARQUET -> new ParquetEntries(file, options);
        case HTML -> new HtmlFileEntry(file, root);
        case TEXT -> new TextFileEntry(file, root);
      };
    } catch (NoSuchFileException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      return FileEntries.broken(
          file.toString(), "unreadable " + format + " file: " + FileEntries.message(e));
    }
  }

  @Override
  public void close() throws IOException {
    if (current != null) {
      current.close();
      current = null;
    }
  }
}
