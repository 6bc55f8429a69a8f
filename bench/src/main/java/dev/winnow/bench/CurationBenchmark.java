package dev.winnow.bench;

import dev.winnow.ingest.Document;
import dev.winnow.ingest.publish.PublishOptions;
import dev.winnow.ingest.publish.PublishSummary;
import dev.winnow.ingest.publish.Publisher;
import dev.winnow.ingest.serde.DocumentJson;
import dev.winnow.jobs.curation.CurationConfig;
import dev.winnow.jobs.curation.CurationJob;
import dev.winnow.jobs.curation.CurationSummary;
import dev.winnow.jobs.demo.EmbeddedKafkaBroker;
import dev.winnow.jobs.demo.OutputTally;
import dev.winnow.selection.dedup.ExactDedupKey;
import dev.winnow.selection.normalize.TextNormalizer;
import dev.winnow.selection.quality.QualityConfig;
import dev.winnow.selection.quality.QualityPipeline;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The whole {@code ../shared/corpora} (~29k documents, ~27 MB of text) through publish → Kafka →
 * curation job → Kafka on this machine, with the embedded broker and a MiniCluster. Reports
 * documents/s and MB/s for publishing, for each stage of the job measured alone on one core
 * (decode, normalize, quality filters, exact-dedup hashing), and for the job and the whole path end
 * to end. Writes {@code bench/results/curation.md}.
 *
 * <p>Run: {@code mvn -B -q -pl bench -am install -DskipTests && mvn -B -q -pl bench exec:exec
 * -Dbench.main=dev.winnow.bench.CurationBenchmark}
 */
public final class CurationBenchmark {
  /**
   * {@code -Dbench.qualityOff=true}: the job runs without its quality filters, so that all of the
   * corpora reach dedup (e.g. to measure near-dedup state on ~29k documents); writes {@code
   * curation-quality-off.md}.
   */
  static final boolean QUALITY_OFF = Boolean.getBoolean("bench.qualityOff");

  static final String[] CORPORA = {"news", "speeches", "prose", "reviews", "web", "udhr"};

  public static void main(String[] args) throws Exception {
    List<Path> files = new ArrayList<>();
    for (String c : CORPORA) {
      files.add(BenchEnv.shared().resolve("corpora").resolve(c + ".jsonl.gz"));
    }
    List<byte[]> raw = new ArrayList<>();
    long textBytes = 0;
    for (Path f : files) {
      try (var r =
          new java.io.BufferedReader(
              new java.io.InputStreamReader(
                  new java.util.zip.GZIPInputStream(Files.newInputStream(f)),
                  java.nio.charset.StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          byte[] b = line.getBytes(java.nio.charset.StandardCharsets.UTF_8);
          raw.add(b);
          textBytes += b.length;
        }
      }
    }
    int n = raw.size();
    double mb = textBytes / 1e6;
    StringBuilder md = new StringBuilder();
    md.append("# Curation benchmark\n\n");
    if (QUALITY_OFF) {
      md.append(
          "With `-Dbench.qualityOff=true`: the four quality filters are off in the job (the"
              + " one-thread stage figures still run them), so every document reaches both"
              + " dedup stages.\n\n");
    }
    md.append("Date: ")
        .append(LocalDate.now())
        .append("  \nMachine: ")
        .append(BenchEnv.machine())
        .append("  \n");
    md.append(
        String.format(
            "Input: `../shared/corpora` (%s), %,d documents, %.1f MB of JSON lines.%n%n",
            String.join(", ", CORPORA), n, mb));

    // per-stage, one core, 3 passes (the first warms the JIT; the best of the last two is reported)
    md.append("## Stages alone, one thread\n\n| stage | docs/s | MB/s |\n|---|---:|---:|\n");
    TextNormalizer normalizer = new TextNormalizer();
    QualityPipeline quality = new QualityPipeline(new QualityConfig());
    List<Document> docs = new ArrayList<>(n);
    for (byte[] b : raw) {
      docs.add(DocumentJson.parse(b));
    }
    List<String> normalized = new ArrayList<>(n);
    for (Document d : docs) {
      normalized.add(normalizer.normalize(d.text()));
    }
    stage(
        md,
        "decode (JSON → document)",
        n,
        mb,
        () -> {
          long h = 0;
          for (byte[] b : raw) {
            h += DocumentJson.parse(b).text().length();
          }
          return h;
        });
    stage(
        md,
        "normalize (NFC, whitespace)",
        n,
        mb,
        () -> {
          long h = 0;
          for (Document d : docs) {
            h += normalizer.normalize(d.text()).length();
          }
          return h;
        });
    stage(
        md,
        "quality filters (Gopher, repetition, C4, FineWeb)",
        n,
        mb,
        () -> {
          long h = 0;
          for (String t : normalized) {
            h += quality.apply(t).isKept() ? 1 : 0;
          }
          return h;
        });
    stage(
        md,
        "exact-dedup key (XXH3-128)",
        n,
        mb,
        () -> {
          long h = 0;
          for (String t : normalized) {
            h += ExactDedupKey.of(t).length();
          }
          return h;
        });

    Path work = Files.createTempDirectory("winnow-bench-");
    try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start(work, true, new Properties())) {
      CurationConfig cfg = new CurationConfig();
      cfg.kafka.bootstrap = kafka.bootstrapServers();
      cfg.job.bounded = true;
      if (QUALITY_OFF) {
        cfg.quality.gopherQuality.enabled = false;
        cfg.quality.gopherRepetition.enabled = false;
        cfg.quality.c4.enabled = false;
        cfg.quality.fineWeb.enabled = false;
      }
      cfg.job.checkpointIntervalMs = 2000;
      cfg.topics.partitions = 4;
      cfg.validate();
      long t0 = System.nanoTime();
      PublishSummary pub =
          new Publisher(
                  PublishOptions.of(kafka.bootstrapServers(), cfg.topics.input, files)
                      .withPartitions(4)
                      .withRejectFile(work.resolve("rejects.jsonl")),
                  new PrintStream(OutputStream.nullOutputStream()))
              .run();
      CurationSummary job =
          CurationJob.run(
              cfg,
              StreamExecutionEnvironment.getExecutionEnvironment(CurationJob.flinkConfig(cfg)));
      double total = (System.nanoTime() - t0) / 1e9;
      OutputTally t = OutputTally.read(kafka.bootstrapServers(), cfg.topics);

      md.append("\n## Through Kafka and Flink (embedded broker, MiniCluster, parallelism ")
          .append(Runtime.getRuntime().availableProcessors())
          .append(")\n\n");
      md.append("| step | seconds | docs/s | MB/s |\n|---|---:|---:|---:|\n");
      md.append(
          String.format(
              "| publish (files → topic, transactions, zstd) | %.1f | %,.0f | %.1f |%n",
              pub.seconds(), pub.published() / pub.seconds(), mb / pub.seconds()));
      md.append(
          String.format(
              "| curation job (topic → 3 topics, exactly-once; incl. MiniCluster start and final checkpoint) | %.1f | %,.0f | %.1f |%n",
              job.seconds(), n / job.seconds(), mb / job.seconds()));
      md.append(
          String.format(
              "| end to end (publish + job) | %.1f | %,.0f | %.1f |%n",
              total, n / total, mb / total));
      md.append(
          String.format(
              "%nOutcome: %,d in → %,d curated, %,d rejected, %,d dead-lettered (sum %,d).%n",
              n, t.curated, t.rejected, t.deadLettered, t.total()));
      long nearKept = job.get("near_dedup_kept");
      long nearBytes = job.get("near_dedup_state_bytes");
      md.append(
          String.format(
              "%nNear-dedup keyed state (`near_dedup_state_bytes`: bucket keys and owners, stored"
                  + " sketches with their keys): %,d bytes for %,d documents kept by near dedup,"
                  + " %,.0f bytes per kept document.%n",
              nearBytes, nearKept, nearKept == 0 ? 0.0 : (double) nearBytes / nearKept));
      md.append("\nRejections per rule:\n\n| rule | documents |\n|---|---:|\n");
      t.rejectedPerRule.forEach((k, v) -> md.append(String.format("| %s | %,d |%n", k, v)));
      if (t.total() != n) {
        md.append("\n**MISMATCH: documents in and out differ.**\n");
      }
    }
    md.append(
        "\nNo peer figure in `../shared/reference/anchors.md` for this path (it has GPU scoring and "
            + "prompt-compression anchors only).\n");
    Path out = BenchEnv.result(QUALITY_OFF ? "curation-quality-off.md" : "curation.md");
    Files.writeString(out, md.toString());
    System.out.println(md);
    System.out.println("written to " + out.toAbsolutePath());
  }

  interface Pass {
    long run() throws Exception;
  }

  private static void stage(StringBuilder md, String name, int n, double mb, Pass pass)
      throws Exception {
    double best = Double.MAX_VALUE;
    long sink = 0;
    for (int i = 0; i < 3; i++) {
      long t0 = System.nanoTime();
      sink += pass.run();
      double s = (System.nanoTime() - t0) / 1e9;
      if (i > 0) {
        best = Math.min(best, s);
      }
    }
    md.append(String.format("| %s | %,.0f | %.1f |%n", name, n / best, mb / best));
    if (sink == 42) {
      System.out.print(""); // keeps the JIT from dropping the work
    }
  }
}
