package dev.winnow.jobs.curation.files;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The output directory of a file run: {@code curated/}, {@code rejected/}, {@code deadletter/}
 * (part files of gzip-compressed JSON lines) and {@code manifest.json}. One directory holds one
 * run: {@link #prepare} refuses a directory that already holds any of them, unless told to
 * overwrite, and then deletes exactly those (nothing else in the directory).
 */
public final class OutputDirectory {
  public static final List<String> OUTPUTS = List.of("curated", "rejected", "deadletter");
  public static final String MANIFEST = "manifest.json";

  private final Path dir;

  public OutputDirectory(Path dir) {
    this.dir = dir;
  }

  public Path dir() {
    return dir;
  }

  public Path output(String name) {
    return dir.resolve(name);
  }

  /** Makes the directory ready for a new run. */
  public void prepare(boolean overwrite) throws IOException {
    List<String> present = new ArrayList<>();
    for (String o : OUTPUTS) {
      if (Files.exists(dir.resolve(o))) {
        present.add(o + "/");
      }
    }
    if (Files.exists(dir.resolve(MANIFEST))) {
      present.add(MANIFEST);
    }
    if (!present.isEmpty()) {
      if (!overwrite) {
        throw new IllegalArgumentException(
            "output directory "
                + dir
                + " already holds a curation run ("
                + String.join(", ", present)
                + "); choose another directory, or pass --overwrite to replace that run");
      }
      for (String o : OUTPUTS) {
        deleteTree(dir.resolve(o));
      }
      Files.deleteIfExists(dir.resolve(MANIFEST));
    }
    for (String o : OUTPUTS) {
      Files.createDirectories(dir.resolve(o));
    }
  }

  /**
   * Deletes what failed attempts left behind: the sink's hidden in-progress files, which a
   * restarted attempt replaces with its own and the commit at the end never names.
   */
  public void removeInProgressFiles() throws IOException {
    for (String o : OUTPUTS) {
      try (Stream<Path> s = Files.list(dir.resolve(o))) {
        for (Path p : s.toList()) {
          if (p.getFileName().toString().startsWith(".")) {
            Files.delete(p);
          }
        }
      }
    }
  }

  /** One committed part file and how many lines (records) it holds. */
  public record Part(String file, long records, long bytes) {}

  /** The committed part files of an output, in name order, each with its line count. */
  public List<Part> parts(String output) throws IOException {
    List<Part> parts = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir.resolve(output))) {
      for (Path p : s.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList()) {
        parts.add(new Part(output + "/" + p.getFileName(), lines(p), Files.size(p)));
      }
    }
    return parts;
  }

  /** The records of an output, in part-file order (for tests and {@code winnow} users). */
  public List<String> readAll(String output) throws IOException {
    List<String> out = new ArrayList<>();
    for (Part part : parts(output)) {
      try (BufferedReader r = open(dir.resolve(part.file()))) {
        String line;
        while ((line = r.readLine()) != null) {
          out.add(line);
        }
      }
    }
    return out;
  }

  private static long lines(Path p) throws IOException {
    long n = 0;
    try (BufferedReader r = open(p)) {
      while (r.readLine() != null) {
        n++;
      }
    }
    return n;
  }

  private static BufferedReader open(Path p) throws IOException {
    return new BufferedReader(
        new InputStreamReader(
            new GZIPInputStream(Files.newInputStream(p), 1 << 16), StandardCharsets.UTF_8),
        1 << 16);
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(p)) {
      walk.sorted(Comparator.reverseOrder())
          .forEach(
              f -> {
                try {
                  Files.delete(f);
                } catch (IOException e) {
                  throw new UncheckedIOException("cannot delete " + f + ": " + e.getMessage(), e);
                }
              });
    }
  }
}
