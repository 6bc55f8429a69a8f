package dev.winnow.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.winnow.ingest.publish.PublishOptions;
import dev.winnow.ingest.publish.Publisher;
import dev.winnow.ingest.serde.DocumentJson;
import dev.winnow.jobs.curation.CurationConfig;
import dev.winnow.jobs.kafka.TopicReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The setup the curation-stage ITs share: a bounded two-partition run with a failure injected, its input, its output. */
final class BoundedRun {
  private BoundedRun() {}

  /**
   * A bounded curation config on {@code bootstrap} with topics {@code <prefix>-raw|curated|rejected|deadletter} of two
   * partitions, parallelism 2, and one failure injected after {@code failAfter} records of source subtask 0.
   */
  static CurationConfig config(String bootstrap, String prefix, long checkpointMs, long failAfter) {
    CurationConfig cfg = new CurationConfig();
    cfg.kafka.bootstrap = bootstrap;
    cfg.topics.input = prefix + "-raw";
    cfg.topics.curated = prefix + "-curated";
    cfg.topics.rejected = prefix + "-rejected";
    cfg.topics.deadletter = prefix + "-deadletter";
    cfg.topics.partitions = 2;
    cfg.job.bounded = true;
    cfg.job.parallelism = 2;
    cfg.job.checkpointIntervalMs = checkpointMs;
    cfg.job.injectFailureAfterRecords = failAfter;
    return cfg;
  }

  /** Publishes a JSONL file to the config's input topic (two partitions); malformed lines go to a file in {@code dir}. */
  static void publish(CurationConfig cfg, Path input, Path dir) throws Exception {
    new Publisher(PublishOptions.of(cfg.kafka.bootstrap, cfg.topics.input, List.of(input)).withPartitions(2)
        .withRejectFile(dir.resolve("publish.rejects.jsonl")), new PrintStream(OutputStream.nullOutputStream())).run();
  }

  /** The documents on the curated topic (read_committed), by id. */
  static Map<String, JsonNode> curated(CurationConfig cfg) {
    Map<String, JsonNode> curated = new HashMap<>();
    TopicReader.forEach(cfg.kafka.bootstrap, cfg.topics.curated, r -> {
      try {
        JsonNode doc = DocumentJson.mapper().readTree(r.value());
        curated.put(doc.get("id").asText(), doc);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    return curated;
  }
}
