package dev.winnow.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.winnow.ingest.publish.PublishOptions;
import dev.winnow.ingest.publish.Publisher;
import dev.winnow.ingest.serde.DocumentJson;
import dev.winnow.jobs.common.InjectedFailure;
import dev.winnow.jobs.curation.CurationConfig;
import dev.winnow.jobs.curation.CurationJob;
import dev.winnow.jobs.demo.OutputTally;
import dev.winnow.jobs.kafka.TopicReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The setup the curation-stage ITs share: a bounded two-partition run with a failure injected, its
 * input, its output.
 */
final class BoundedRun {
  private BoundedRun() {}

  /**
   * A bounded curation config on {@code bootstrap} with topics {@code
   * <prefix>-raw|curated|rejected|deadletter} of two partitions, parallelism 2, and one failure
   * injected after {@code failAfter} records of source subtask 0.
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

  /**
   * Publishes a JSONL file to the config's input topic (two partitions); malformed lines go to a
   * file in {@code dir}.
   */
  static void publish(CurationConfig cfg, Path input, Path dir) throws Exception {
    new Publisher(
            PublishOptions.of(cfg.kafka.bootstrap, cfg.topics.input, List.of(input))
                .withPartitions(2)
                .withRejectFile(dir.resolve("publish.rejects.jsonl")),
            new PrintStream(OutputStream.nullOutputStream()))
        .run();
  }

  /** The documents on the curated topic (read_committed), by id. */
  static Map<String, JsonNode> curated(CurationConfig cfg) {
    Map<String, JsonNode> curated = new HashMap<>();
    TopicReader.forEach(
        cfg.kafka.bootstrap,
        cfg.topics.curated,
        r -> {
          try {
            JsonNode doc = DocumentJson.mapper().readTree(r.value());
            curated.put(doc.get("id").asText(), doc);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
    return curated;
  }

  /**
   * Switches every quality filter off, for tests of later stages that need every document to reach
   * them.
   */
  static void qualityFiltersOff(CurationConfig cfg) {
    cfg.quality.gopherQuality.enabled = false;
    cfg.quality.gopherRepetition.enabled = false;
    cfg.quality.c4.enabled = false;
    cfg.quality.fineWeb.enabled = false;
  }

  /**
   * Runs the job to the end and checks what every such run must give: the injected failure fired
   * once, and the {@code documentsIn} input documents left exactly once (kept + rejected +
   * dead-lettered = in, no id twice).
   */
  static OutputTally runExactlyOnce(CurationConfig cfg, int documentsIn) throws Exception {
    int failuresBefore = InjectedFailure.triggered();
    CurationJob.run(
        cfg, StreamExecutionEnvironment.getExecutionEnvironment(CurationJob.flinkConfig(cfg)));
    assertEquals(
        failuresBefore + 1, InjectedFailure.triggered(), "the injected failure fired once");
    OutputTally t = OutputTally.read(cfg.kafka.bootstrap, cfg.topics);
    assertEquals(documentsIn, t.total(), "kept + rejected + dead-lettered = in");
    assertEquals(List.of(), t.idsSeenTwice(), "no document twice");
    return t;
  }
}
