package dev.winnow.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.ingest.publish.PublishOptions;
import dev.winnow.ingest.publish.Publisher;
import dev.winnow.jobs.curation.CurationConfig;
import dev.winnow.jobs.curation.CurationJob;
import dev.winnow.jobs.curation.CurationSummary;
import dev.winnow.jobs.demo.EmbeddedKafkaBroker;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live progress of a foreground curation reads the running job's own metrics: while it runs,
 * the counts grow and never exceed what came in; the printed line shows them.
 */
class LiveProgressTest {

  @Test
  void theProgressLineFollowsTheRunningJobsCounters(@TempDir Path dir) throws Exception {
    Path input = dir.resolve("in.jsonl");
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      lines.add(
          "{\"id\": \"d"
              + i
              + "\", \"text\": \"Document number "
              + i
              + " says something short about the weather and the river.\"}");
    }
    Files.write(input, lines, StandardCharsets.UTF_8);
    try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
      CurationConfig cfg = new CurationConfig();
      cfg.kafka.bootstrap = kafka.bootstrapServers();
      cfg.job.bounded = true;
      cfg.job.parallelism = 2;
      cfg.job.checkpointIntervalMs = 300;
      cfg.topics.partitions = 2;
      new Publisher(
              PublishOptions.of(cfg.kafka.bootstrap, cfg.topics.input, List.of(input))
                  .withPartitions(2),
              new PrintStream(OutputStream.nullOutputStream()))
          .run();
      Configuration flink = LiveProgress.report(CurationJob.flinkConfig(cfg));
      ByteArrayOutputStream printed = new ByteArrayOutputStream();
      CurationSummary s;
      long maxIn = 0;
      try (LiveProgress p =
          LiveProgress.start(new PrintStream(printed, true, StandardCharsets.UTF_8), false)) {
        CompletableFuture<CurationSummary> run =
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return CurationJob.run(
                        cfg, StreamExecutionEnvironment.getExecutionEnvironment(flink));
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                });
        while (!run.isDone()) {
          LiveProgress.Totals t = LiveProgress.current();
          assertTrue(t.kept() + t.rejected() <= t.in() + 1000, "out never far ahead of in: " + t);
          maxIn = Math.max(maxIn, t.in());
          Thread.sleep(20);
        }
        s = run.get();
        Thread.sleep(2100); // one more line after the end
      }
      assertTrue(maxIn > 0, "the running job's counters were seen");
      assertTrue(maxIn <= lines.size(), "in: " + maxIn);
      assertEquals(lines.size(), s.get("curated") + s.get("rejected"), s.table());
      String out = printed.toString(StandardCharsets.UTF_8);
      assertTrue(out.contains(" docs/s | checkpoints "), out);
    }
  }
}
