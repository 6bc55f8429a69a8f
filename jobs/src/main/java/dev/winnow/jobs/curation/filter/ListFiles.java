package dev.winnow.jobs.curation.filter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reading the user's list files (one entry a line) for the blocklist stages. */
final class ListFiles {
  private ListFiles() {}

  /** Fails naming the config field and the file when {@code file} is set but cannot be read. */
  static void check(String field, String file) {
    if (file != null && !Files.isReadable(Path.of(file))) {
      throw new IllegalArgumentException(
          field
              + ": list file "
              + Path.of(file).toAbsolutePath()
              + " does not exist or cannot be read");
    }
  }

  /** The file's lines, or none when {@code file} is null. */
  static List<String> lines(String file) {
    if (file == null) {
      return List.of();
    }
    try {
      return Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read list file " + file + ": " + e, e);
    }
  }
}
