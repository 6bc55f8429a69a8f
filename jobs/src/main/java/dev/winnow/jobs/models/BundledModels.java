package dev.winnow.jobs.models;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The proxy model that ships inside the jar ({@code proxy-mini}: GPT-2 architecture, 4 layers ×
 * 128, 7.4M parameters, r50k tokenizer), unpacked once to a cache directory because weights are
 * memory-mapped from a file.
 */
public final class BundledModels {
  public static final String PROXY_MINI = "proxy-mini";
  private static final List<String> FILES =
      List.of(
          "config.json",
          "model.safetensors",
          "tokenizer.json",
          "tokenizer_config.json",
          "generation_config.json");

  private BundledModels() {}

  /** {@code name} is a bundled model's name or a directory; returns the directory to load. */
  public static Path resolve(String name) throws IOException {
    if (!PROXY_MINI.equals(name)) {
      return Path.of(name);
    }
    Path dir =
        Path.of(
                System.getProperty(
                    "winnow.cache",
                    Path.of(System.getProperty("java.io.tmpdir"), "winnow-cache").toString()))
            .resolve("models")
            .resolve(PROXY_MINI);
    Files.createDirectories(dir);
    for (String f : FILES) {
      Path target = dir.resolve(f);
      try (InputStream in =
          BundledModels.class.getResourceAsStream("/winnow/models/" + PROXY_MINI + "/" + f)) {
        if (in == null) {
          throw new IOException(
              "bundled model file "
                  + f
                  + " of "
                  + PROXY_MINI
                  + " is missing from the jar; rebuild it");
        }
        Path tmp = Files.createTempFile(dir, f, ".part");
        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        if (!Files.exists(target) || Files.mismatch(tmp, target) != -1) {
          Files.move(
              tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } else {
          Files.delete(tmp);
        }
      }
    }
    return dir;
  }
}
