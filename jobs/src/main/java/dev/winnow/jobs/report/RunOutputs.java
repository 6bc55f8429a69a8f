package dev.winnow.jobs.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.winnow.ingest.serde.DocumentJson;
import dev.winnow.jobs.kafka.DeadLetterSerializer;
import dev.winnow.jobs.kafka.TopicReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Reads a curation run's outputs into a {@link RunTally}: from its topics, or from file-mode output
 * folders.
 */
public final class RunOutputs {
  private RunOutputs() {}

  /** The three output topics as they are now (read_committed). */
  public static RunTally fromTopics(
      String bootstrap,
      Map<String, String> clientProperties,
      String curated,
      String rejected,
      String deadletter) {
    RunTally t = new RunTally();
    TopicReader.forEach(
        bootstrap, clientProperties, curated, r -> t.kept(json(r.value(), curated)));
    TopicReader.forEach(
        bootstrap, clientProperties, rejected, r -> t.rejected(json(r.value(), rejected)));
    TopicReader.forEach(
        bootstrap,
        clientProperties,
        deadletter,
        r -> {
          var h = r.headers().lastHeader(DeadLetterSerializer.ERROR_HEADER);
          t.deadLettered(h == null ? null : new String(h.value(), StandardCharsets.UTF_8));
        });
    return t;
  }

  /**
   * The file mode's output folder: {@code DIR/curated/}, {@code DIR/rejected/}, {@code
   * DIR/deadletter/}, each of JSONL or JSONL.gz part files (dead letters as objects with a {@code
   * reason}).
   *
   * @throws IllegalArgumentException when none of the three folders exists
   */
  public static RunTally fromDirectory(Path dir) throws IOException {
    if (List.of("curated", "rejected", "deadletter").stream()
        .noneMatch(d -> Files.isDirectory(dir.resolve(d)))) {
      throw new IllegalArgumentException(
          dir
              + " holds no curated/, rejected/ or deadletter/ folder: give the --output folder of a"
              + " `winnow curate --input ... --output DIR` run");
    }
    RunTally t = new RunTally();
    lines(dir.resolve("curated"), n -> t.kept(n));
    lines(dir.resolve("rejected"), n -> t.rejected(n));
    lines(dir.resolve("deadletter"), n -> t.deadLettered(n.path("reason").asText(null)));
    return t;
  }

  private static void lines(Path folder, Consumer<JsonNode> action) throws IOException {
    if (!Files.isDirectory(folder)) {
      return;
    }
    List<Path> parts;
    try (Stream<Path> s = Files.list(folder)) {
      parts =
          s.filter(p -> p.toString().endsWith(".jsonl") || p.toString().endsWith(".jsonl.gz"))
              .sorted()
              .toList();
    }
    for (Path p : parts) {
      InputStream in = Files.newInputStream(p);
      if (p.toString().endsWith(".gz")) {
        in = new GZIPInputStream(in, 1 << 16);
      }
      try (BufferedReader r =
          new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String line;
        long n = 0;
        while ((line = r.readLine()) != null) {
          n++;
          if (!line.isBlank()) {
            action.accept(json(line.getBytes(StandardCharsets.UTF_8), p + ":" + n));
          }
        }
      }
    }
  }

  private static JsonNode json(byte[] value, String where) {
    try {
      return DocumentJson.mapper().readTree(value);
    } catch (IOException e) {
      throw new UncheckedIOException("not a JSON record in " + where + ": " + e.getMessage(), e);
    }
  }
}
