package dev.winnow.jobs.demo;

import dev.winnow.ingest.publish.PublishOptions;
import dev.winnow.ingest.publish.PublishSummary;
import dev.winnow.ingest.publish.Publisher;
import dev.winnow.jobs.curation.CurationConfig;
import dev.winnow.jobs.curation.CurationJob;
import dev.winnow.jobs.curation.CurationSummary;
import dev.winnow.jobs.report.ReportWriter;
import dev.winnow.jobs.report.RunOutputs;
import dev.winnow.jobs.report.RunTally;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code winnow demo}: the whole curation path on real parts inside one process. Starts a
 * single-node KRaft broker, publishes the bundled sample corpus (2,850 real documents from six
 * genres with 150 planted exact duplicates), writes a few undecodable records straight to the input
 * topic (as a broken producer would), runs the curation job on a Flink MiniCluster until it has
 * consumed the topic, counts the three output topics and prints the table.
 */
public final class Demo {
  public static final String SAMPLE = "/winnow/sample-corpus.jsonl.gz";

  /**
   * Records a broken producer might write: not JSON, not UTF-8, not an object, no text, text not a
   * string.
   */
  static final List<byte[]> BROKEN =
      List.of(
          "{\"id\": \"broken-1\", \"text\": \"unterminated".getBytes(StandardCharsets.UTF_8),
          new byte[] {
            '{', '"', 't', 'e', 'x', 't', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'
          },
          "[\"an\", \"array\"]".getBytes(StandardCharsets.UTF_8),
          "{\"id\": \"broken-4\", \"body\": \"no text field\"}".getBytes(StandardCharsets.UTF_8),
          "{\"id\": \"broken-5\", \"text\": 42}".getBytes(StandardCharsets.UTF_8));

  private final PrintStream out;
  private final int parallelism;
  private final Path reportDir;

  /** A demo that prints to {@code out} and writes its report into {@code reportDir}. */
  public Demo(PrintStream out, int parallelism, Path reportDir) {
    this.out = out;
    this.parallelism = parallelism;
    this.reportDir = reportDir;
  }

  /** Where the demo writes its report unless told: a folder under the system temp directory. */
  public static Path defaultReportDir() {
    return Path.of(System.getProperty("java.io.tmpdir"), "winnow-demo-report");
  }

  /** Runs the demo; returns true when every document left exactly once. */
  public boolean run() throws Exception {
    Path work = Files.createTempDirectory("winnow-demo-");
    try {
      out.println("starting an embedded Kafka broker (KRaft) ...");
      try (EmbeddedKafkaBroker kafka =
          EmbeddedKafkaBroker.start(work.resolve("kafka"), false, new Properties())) {
        CurationConfig cfg = new CurationConfig();
        cfg.kafka.bootstrap = kafka.bootstrapServers();
        cfg.job.bounded = true;
        cfg.job.parallelism = parallelism;
        cfg.job.checkpointIntervalMs = 1000;
        cfg.topics.partitions = 2;
        cfg.validate();

        Path corpus = work.resolve("sample-corpus.jsonl.gz");
        try (InputStream in = Demo.class.getResourceAsStream(SAMPLE)) {
          if (in == null) {
            throw new IOException(
                "the sample corpus " + SAMPLE + " is missing from the jar; rebuild it");
          }
          Files.copy(in, corpus, StandardCopyOption.REPLACE_EXISTING);
        }
        out.println("publishing the sample corpus to topic '" + cfg.topics.input + "' ...");
        PublishSummary pub =
            new Publisher(
                    PublishOptions.of(kafka.bootstrapServers(), cfg.topics.input, List.of(corpus))
                        .withPartitions(2)
                        .withRejectFile(work.resolve("publish-rejects.jsonl")),
                    out)
                .run();
        out.println("  " + pub);
        writeBroken(kafka.bootstrapServers(), cfg.topics.input);
        out.println(
            "  + "
                + BROKEN.size()
                + " undecodable records written directly to '"
                + cfg.topics.input
                + "'");

        out.println("curating on a Flink MiniCluster (parallelism " + parallelism + ") ...");
        StreamExecutionEnvironment env =
            StreamExecutionEnvironment.getExecutionEnvironment(CurationJob.flinkConfig(cfg));
        CurationSummary job = CurationJob.run(cfg, env);
        OutputTally tally = OutputTally.read(kafka.bootstrapServers(), cfg.topics);

        long in = pub.published() + BROKEN.size();
        out.println();
        out.println(report(in, job, tally, pub));
        boolean ok =
            tally.total() == in
                && tally.idsSeenTwice().isEmpty()
                && tally.deadLettered == BROKEN.size();
        out.println(
            ok
                ? "every document left exactly once."
                : "MISMATCH: documents in and out do not add up.");
        RunTally t =
            RunOutputs.fromTopics(
                kafka.bootstrapServers(),
                Map.of(),
                cfg.topics.curated,
                cfg.topics.rejected,
                cfg.topics.deadletter);
        Path page =
            ReportWriter.write(
                t,
                "winnow demo: the bundled sample corpus curated on an embedded broker",
                reportDir);
        out.println("report: " + page);
        return ok;
      }
    } finally {
      deleteRecursively(work);
    }
  }

  static String report(long in, CurationSummary job, OutputTally t, PublishSummary pub) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("%-42s %10s%n", "documents (counted on the output topics)", "count"));
    sb.append(String.format("%-42s %,10d%n", "in (published + broken records)", in));
    sb.append(String.format("%-42s %,10d%n", "kept -> curated", t.curated));
    sb.append(String.format("%-42s %,10d%n", "rejected -> rejected", t.rejected));
    t.rejectedPerRule.forEach((rule, n) -> sb.append(String.format("    %-38s %,10d%n", rule, n)));
    sb.append(String.format("%-42s %,10d%n", "dead-lettered -> deadletter", t.deadLettered));
    sb.append(String.format("%-42s %,10d%n", "out (kept + rejected + dead-lettered)", t.total()));
    sb.append(
        String.format(
            "%nthroughput: publish %,.0f docs/s (%.1f MB/s); curation job %,.0f docs/s over %.1f s "
                + "(includes MiniCluster start-up and the final checkpoint)%n",
            pub.docsPerSecond(),
            pub.megabytesPerSecond(),
            job.seconds() > 0 ? in / job.seconds() : 0,
            job.seconds()));
    return sb.toString();
  }

  private static void writeBroken(String bootstrap, String topic) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
      for (byte[] b : BROKEN) {
        producer.send(new ProducerRecord<>(topic, b));
      }
      producer.flush();
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
