package dev.winnow.bench.curation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.winnow.bench.BenchEnv;
import dev.winnow.ingest.publish.PublishOptions;
import dev.winnow.ingest.publish.PublishSummary;
import dev.winnow.ingest.publish.Publisher;
import dev.winnow.it.FlinkSessionCluster;
import dev.winnow.jobs.cli.JobManagerClient;
import dev.winnow.jobs.common.RuleCounters;
import dev.winnow.jobs.curation.CurationConfig;
import dev.winnow.jobs.curation.CurationJob;
import dev.winnow.jobs.demo.EmbeddedKafkaBroker;
import dev.winnow.jobs.demo.OutputTally;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.jfr.Recording;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Issue 16's gigabyte: a generated corpus of about 1 GB ({@link GigabyteCorpus}: documents made
 * from {@code ../shared/corpora}'s sentences, with planted exact and near duplicates and malformed
 * records) published to the embedded broker, then curated with the default stages (normalize,
 * quality filters, exact and near dedup) on a MiniCluster in this JVM and on a 3-process session
 * cluster (a JobManager and two TaskManagers of one slot, the job jar submitted over REST). For
 * each run: MB/s and documents/s per core end to end, CPU seconds of every process, checkpoint
 * sizes and durations (the REST API's statistics), near-dedup state per kept document, peak RSS of
 * each process, the exactly-once tally of the output topics, and the share of CPU time per stage
 * from Java Flight Recorder samples ({@link StageProfile}). Writes {@code
 * bench/results/curation-gigabyte.md}.
 *
 * <p>Settings: {@code -Dbench.mb=1000} (corpus size), {@code -Dbench.modes=mini,cluster}, {@code
 * -Dbench.work=DIR} (corpus and broker data; the corpus is reused when its size matches), {@code
 * -Dbench.stateBackend=hashmap|rocksdb} (default hashmap), {@code -Dbench.checkpointMs} (default
 * the config's 5,000), {@code -Dbench.taskHeapMb=1024} (TaskManager task heap). Run from the
 * project root after {@code mvn -B -q install -DskipTests}: {@code java -Xmx6g -cp <bench class
 * path> dev.winnow.bench.curation.CurationGigabyteBenchmark}.
 */
public final class CurationGigabyteBenchmark {
  private static final long SEED = 16;
  private static final String INPUT = "gb-raw";

  /** {@code -Dbench.checkpointMs}: the job's checkpoint interval (the default config's 5 s). */
  private static final long CHECKPOINT_MS =
      Long.getLong(
          "bench.checkpointMs", new dev.winnow.jobs.config.JobSection().checkpointIntervalMs);

  private CurationGigabyteBenchmark() {}

  /** What one run of the job measured. */
  private record Run(
      String name,
      String setup,
      double seconds,
      double cpuSeconds,
      Map<String, Long> counters,
      OutputTally tally,
      long inputRecords,
      JsonNode checkpoints,
      Map<String, Long> peakRssKb,
      Map<String, Long> cpuMsPerProcess,
      Map<String, Double> stageCpu,
      Map<String, Map<String, Double>> threadCpu,
      long gcMs) {}

  public static void main(String[] args) throws Exception {
    System.setProperty(
        "winnow.project",
        System.getProperty("winnow.project", Path.of("").toAbsolutePath().toString()));
    long mb = Long.getLong("bench.mb", 1000);
    List<String> modes = List.of(System.getProperty("bench.modes", "mini,cluster").split(","));
    Path work = Path.of(System.getProperty("bench.work", "/tmp/winnow-gigabyte"));
    String backend = System.getProperty("bench.stateBackend", "hashmap");
    int taskHeapMb = Integer.getInteger("bench.taskHeapMb", 1024);
    Files.createDirectories(work);

    Path corpus = work.resolve("corpus-" + mb + "mb.jsonl");
    Path poison = work.resolve("poison-" + mb + "mb.txt");
    long g0 = System.nanoTime();
    GigabyteCorpus.Stats gen;
    Path statsFile = work.resolve("corpus-" + mb + "mb.stats");
    if (Files.isRegularFile(corpus) && Files.isRegularFile(statsFile)) {
      String[] f = Files.readString(statsFile).trim().split(" ");
      gen =
          new GigabyteCorpus.Stats(
              Long.parseLong(f[0]),
              Long.parseLong(f[1]),
              Long.parseLong(f[2]),
              Long.parseLong(f[3]),
              Long.parseLong(f[4]));
      System.out.println("reusing " + corpus);
    } else {
      gen = GigabyteCorpus.write(BenchEnv.shared(), corpus, poison, mb * 1_000_000L, SEED);
      Files.writeString(
          statsFile,
          gen.documents()
              + " "
              + gen.exactDuplicates()
              + " "
              + gen.nearDuplicates()
              + " "
              + gen.malformed()
              + " "
              + gen.bytes());
    }
    double genSeconds = (System.nanoTime() - g0) / 1e9;
    double megabytes = gen.bytes() / 1e6;
    System.out.printf(
        "corpus: %,d documents + %,d malformed, %.1f MB (%.0f s)%n",
        gen.documents(), gen.malformed(), megabytes, genSeconds);

    Path kafkaDir = work.resolve("kafka");
    deleteTree(kafkaDir);
    List<Run> runs = new ArrayList<>();
    PublishSummary pub;
    try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start(kafkaDir, true, new Properties())) {
      pub =
          new Publisher(
                  PublishOptions.of(kafka.bootstrapServers(), INPUT, List.of(corpus))
                      .withPartitions(4)
                      .withRejectFile(work.resolve("publish-rejects.jsonl")),
                  new PrintStream(OutputStream.nullOutputStream()))
              .run();
      long poisoned = producePoison(kafka.bootstrapServers(), poison);
      long in = pub.published() + poisoned;
      System.out.printf(
          "published %,d documents in %.1f s, %,d malformed records produced raw%n",
          pub.published(), pub.seconds(), poisoned);
      for (String mode : modes) {
        Run r =
            switch (mode.trim()) {
              case "mini" -> mini(kafka, work, backend, in);
              case "cluster" -> cluster(kafka, work, backend, taskHeapMb, in);
              default ->
                  throw new IllegalArgumentException("bench.modes: mini or cluster, not " + mode);
            };
        runs.add(r);
        System.out.println(summaryLine(r, megabytes));
      }
    }
    String md = report(gen, genSeconds, megabytes, pub, runs, backend, taskHeapMb);
    Path out = BenchEnv.result(System.getProperty("bench.out", "curation-gigabyte.md"));
    Files.writeString(out, md);
    System.out.println(md);
    System.out.println("written to " + out.toAbsolutePath());
  }

  private static CurationConfig config(String bootstrap, String prefix, String backend) {
    CurationConfig cfg = new CurationConfig();
    cfg.kafka.bootstrap = bootstrap;
    cfg.kafka.groupId = prefix;
    cfg.kafka.transactionalIdPrefix = prefix;
    cfg.topics.input = INPUT;
    cfg.topics.curated = prefix + "-curated";
    cfg.topics.rejected = prefix + "-rejected";
    cfg.topics.deadletter = prefix + "-deadletter";
    cfg.topics.partitions = 4;
    cfg.job.bounded = true;
    cfg.job.parallelism = Runtime.getRuntime().availableProcessors();
    cfg.job.stateBackend = backend;
    cfg.job.checkpointIntervalMs = CHECKPOINT_MS;
    return cfg;
  }

  /** The job on a MiniCluster in this JVM (the broker runs here too). */
  private static Run mini(EmbeddedKafkaBroker kafka, Path work, String backend, long in)
      throws Exception {
    String prefix = "gb-mini";
    CurationConfig cfg = config(kafka.bootstrapServers(), prefix, backend);
    cfg.job.checkpointDir = work.resolve("checkpoints-mini").toUri().toString();
    cfg.validate();
    Configuration conf = CurationJob.flinkConfig(cfg);
    int rest = freePort();
    conf.set(RestOptions.PORT, rest);
    conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
    conf.set(RestOptions.ADDRESS, "127.0.0.1");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    Path jfr = work.resolve("mini.jfr");
    long gc0 = gcMillis();
    long cpu0 = processCpuNanos();
    ThreadCpu threads = ThreadCpu.self();
    try (Recording rec = profiling()) {
      rec.start();
      long t0 = System.nanoTime();
      JobClient client = CurationJob.submit(cfg, env);
      String job = client.getJobID().toHexString();
      JobManagerClient jm = new JobManagerClient("127.0.0.1:" + rest);
      JsonNode checkpoints = null;
      var done = client.getJobExecutionResult();
      while (!done.isDone()) {
        try {
          checkpoints = jm.checkpoints(job);
        } catch (Exception ignored) {
          // the REST endpoint goes away with the MiniCluster at the job's end
        }
        threads.poll();
        Thread.sleep(1000);
      }
      var result = done.get();
      double seconds = (System.nanoTime() - t0) / 1e9;
      double cpu = (processCpuNanos() - cpu0) / 1e9;
      rec.stop();
      rec.dump(jfr);
      Map<String, Long> rss = new LinkedHashMap<>();
      rss.put("bench JVM (MiniCluster + broker)", peakRssKb("self"));
      Map<String, Long> cpuMs = new LinkedHashMap<>();
      cpuMs.put("bench JVM (MiniCluster + broker)", Math.round(cpu * 1000));
      Map<String, Map<String, Double>> threadCpu = new LinkedHashMap<>();
      threadCpu.put("bench JVM (MiniCluster + broker)", threads.byGroup());
      printThreads(threads);
      Map<String, Double> stageCpu = new LinkedHashMap<>();
      splitByStage(threads, StageProfile.readByThread(jfr), stageCpu);
      OutputTally tally = OutputTally.read(kafka.bootstrapServers(), cfg.topics);
      return new Run(
          "MiniCluster",
          "one JVM: embedded broker + MiniCluster, parallelism "
              + cfg.job.parallelism
              + ", state backend "
              + backend
              + ", checkpoints every "
              + CHECKPOINT_MS
              + " ms",
          seconds,
          cpu,
          RuleCounters.of(result),
          tally,
          in,
          checkpoints,
          rss,
          cpuMs,
          stageCpu,
          threadCpu,
          gcMillis() - gc0);
    }
  }

  /** The job on a JobManager and two TaskManager processes, submitted as {@code winnow curate}. */
  private static Run cluster(
      EmbeddedKafkaBroker kafka, Path work, String backend, int taskHeapMb, long in)
      throws Exception {
    String prefix = "gb-cluster";
    Path jobJar =
        Path.of("jobs", "target", "winnow-jobs-" + version() + "-job.jar").toAbsolutePath();
    if (!Files.isRegularFile(jobJar)) {
      throw new IllegalStateException(
          "no job jar at " + jobJar + ": run `mvn -B -q install -DskipTests` first");
    }
    Path dir = work.resolve("cluster");
    int cores = Runtime.getRuntime().availableProcessors();
    try (FlinkSessionCluster cluster =
        FlinkSessionCluster.start(
            dir,
            cores,
            1,
            taskHeapMb,
            List.of("-XX:StartFlightRecording=name=winnow,settings=profile"))) {
      Path config = dir.resolve("gigabyte.yaml");
      Files.writeString(
          config,
          String.join(
              "\n",
              "kafka:",
              "  groupId: " + prefix,
              "  transactionalIdPrefix: " + prefix,
              "job:",
              "  parallelism: " + cores,
              "  bounded: true",
              "  stateBackend: " + backend,
              "  checkpointIntervalMs: " + CHECKPOINT_MS,
              "  checkpointDir: " + work.resolve("checkpoints-cluster").toUri(),
              "topics:",
              "  input: " + INPUT,
              "  curated: " + prefix + "-curated",
              "  rejected: " + prefix + "-rejected",
              "  deadletter: " + prefix + "-deadletter",
              "  partitions: 4",
              ""));
      Map<String, Long> cpu0 = new LinkedHashMap<>();
      Map<String, ThreadCpu> threads = new LinkedHashMap<>();
      cluster
          .processes()
          .forEach(
              (n, p) -> {
                cpu0.put(n, cpuMillis(p.pid()));
                threads.put(n, new ThreadCpu(p.pid()));
              });
      threads.put("bench JVM (broker, client)", ThreadCpu.self());
      long benchCpu0 = processCpuNanos();
      long t0 = System.nanoTime();
      String job = cluster.submitCurate(jobJar, config, kafka.bootstrapServers());
      JobManagerClient jm = cluster.client();
      JsonNode checkpoints = null;
      String state;
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(60);
      while (!List.of("FINISHED", "FAILED", "CANCELED").contains(state = jm.state(job))) {
        if (System.nanoTime() > deadline) {
          jm.cancel(job);
          throw new IllegalStateException("the cluster job did not end within 60 minutes");
        }
        checkpoints = jm.checkpoints(job);
        threads.values().forEach(ThreadCpu::poll);
        Thread.sleep(1000);
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      double jobSeconds = jm.durationMs(job) / 1000.0;
      checkpoints = jm.checkpoints(job);
      if (!"FINISHED".equals(state)) {
        throw new IllegalStateException("the cluster job ended " + state + "; logs in " + dir);
      }
      Map<String, Long> acc = new LinkedHashMap<>();
      jm.accumulators(job)
          .forEach(
              (k, v) ->
                  acc.put(
                      k.startsWith(RuleCounters.PREFIX)
                          ? k.substring(RuleCounters.PREFIX.length())
                          : k,
                      v));
      Map<String, Long> rss = new LinkedHashMap<>();
      Map<String, Long> cpuMs = new LinkedHashMap<>();
      Map<String, Double> stageCpu = new LinkedHashMap<>();
      double cpu = 0;
      for (var e : cluster.processes().entrySet()) {
        long pid = e.getValue().pid();
        rss.put(e.getKey(), peakRssKb(Long.toString(pid)));
        long ms = cpuMillis(pid) - cpu0.getOrDefault(e.getKey(), 0L);
        cpuMs.put(e.getKey(), ms);
        cpu += ms / 1000.0;
        if (e.getKey().startsWith("taskmanager")) {
          Path jfr = dir.resolve(e.getKey() + ".jfr");
          jcmd(pid, "JFR.dump", "name=winnow", "filename=" + jfr);
          splitByStage(threads.get(e.getKey()), StageProfile.readByThread(jfr), stageCpu);
        } else {
          threads.get(e.getKey()).byGroup().forEach((g, v) -> stageCpu.merge(g, v, Double::sum));
        }
      }
      double benchCpu = (processCpuNanos() - benchCpu0) / 1e9;
      rss.put("bench JVM (broker, client)", peakRssKb("self"));
      cpuMs.put("bench JVM (broker, client)", Math.round(benchCpu * 1000));
      cpu += benchCpu;
      Map<String, Map<String, Double>> threadCpu = new LinkedHashMap<>();
      threads.forEach(
          (n, t) -> {
            threadCpu.put(n, t.byGroup());
            System.out.println(n + ":");
            printThreads(t);
          });
      OutputTally tally = OutputTally.read(kafka.bootstrapServers(), topics(prefix));
      return new Run(
          "3-process cluster",
          String.format(
              "a JobManager and %d TaskManager processes of 1 slot (task heap %d MB), the job jar"
                  + " submitted over REST (`winnow curate --jobmanager`), the broker in the bench"
                  + " JVM, parallelism %d, state backend %s, checkpoints every %d ms; job time"
                  + " from the JobManager %.1f s",
              cores, taskHeapMb, cores, backend, CHECKPOINT_MS, jobSeconds),
          seconds,
          cpu,
          acc,
          tally,
          in,
          checkpoints,
          rss,
          cpuMs,
          stageCpu,
          threadCpu,
          -1);
    }
  }

  /**
   * Adds each thread's CPU seconds to {@code into}: split by the JFR samples' stages where the
   * thread was sampled at least 20 times, else under its thread group (JIT, GC, broker...).
   */
  private static void splitByStage(
      ThreadCpu t, Map<String, Map<String, Long>> samples, Map<String, Double> into) {
    for (var e : t.byName().entrySet()) {
      Map<String, Long> s = samples.get(e.getKey());
      long total = s == null ? 0 : s.values().stream().mapToLong(Long::longValue).sum();
      if (total >= 20) {
        s.forEach((stage, c) -> into.merge(stage, e.getValue() * c / total, Double::sum));
      } else {
        into.merge(ThreadCpu.group(e.getKey()), e.getValue(), Double::sum);
      }
    }
  }

  private static void printThreads(ThreadCpu t) {
    t.byName().entrySet().stream()
        .sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
        .limit(30)
        .forEach(e -> System.out.printf("  %-16s %6.1f s%n", e.getKey(), e.getValue()));
  }

  private static CurationConfig.Topics topics(String prefix) {
    CurationConfig.Topics t = new CurationConfig.Topics();
    t.input = INPUT;
    t.curated = prefix + "-curated";
    t.rejected = prefix + "-rejected";
    t.deadletter = prefix + "-deadletter";
    return t;
  }

  private static String summaryLine(Run r, double mb) {
    int cores = Runtime.getRuntime().availableProcessors();
    return String.format(
        "%s: %.1f s, %.2f MB/s per core, %,.0f docs/s per core, %.1f CPU s; out %,d of %,d in",
        r.name(),
        r.seconds(),
        mb / r.seconds() / cores,
        r.inputRecords() / r.seconds() / cores,
        r.cpuSeconds(),
        r.tally().total(),
        r.inputRecords());
  }

  private static String report(
      GigabyteCorpus.Stats gen,
      double genSeconds,
      double mb,
      PublishSummary pub,
      List<Run> runs,
      String backend,
      int taskHeapMb) {
    int cores = Runtime.getRuntime().availableProcessors();
    StringBuilder md = new StringBuilder();
    md.append("# A gigabyte through the curation job\n\n");
    md.append("`CurationGigabyteBenchmark`, ")
        .append(Instant.now().toString(), 0, 16)
        .append("Z. Machine: ")
        .append(BenchEnv.machine())
        .append(String.format("; load average at the end %.1f.%n%n", BenchEnv.loadAverage()));
    md.append(
        String.format(
            "Corpus (`GigabyteCorpus`, seed %d, made in %.0f s): %,d documents and %,d malformed"
                + " records, %.1f MB of JSON lines; planted %,d exact duplicates and %,d near"
                + " duplicates of earlier documents. Published with `Publisher` (4 partitions,"
                + " transactions, zstd) in %.1f s (%.1f MB/s); the malformed records produced"
                + " raw afterwards. Default stages: normalize, the four quality filters, exact"
                + " dedup, near dedup (datatrove preset).%n%n",
            SEED,
            genSeconds,
            gen.documents(),
            gen.malformed(),
            mb,
            gen.exactDuplicates(),
            gen.nearDuplicates(),
            pub.seconds(),
            mb / pub.seconds()));
    md.append(
        "| run | seconds | MB/s | MB/s per core | docs/s per core | CPU s (all processes) | MB per"
            + " CPU-second | kept | rejected | dead-lettered | exactly once |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (Run r : runs) {
      OutputTally t = r.tally();
      boolean once = t.total() == r.inputRecords() && t.idsSeenTwice().isEmpty();
      md.append(
          String.format(
              "| %s | %.1f | %.2f | %.2f | %,.0f | %.1f | %.2f | %,d | %,d | %,d | %s |%n",
              r.name(),
              r.seconds(),
              mb / r.seconds(),
              mb / r.seconds() / cores,
              r.inputRecords() / r.seconds() / cores,
              r.cpuSeconds(),
              mb / r.cpuSeconds(),
              t.curated,
              t.rejected,
              t.deadLettered,
              once
                  ? "yes: out = in = " + String.format("%,d", r.inputRecords()) + ", no id twice"
                  : "**NO**: out "
                      + t.total()
                      + ", in "
                      + r.inputRecords()
                      + ", twice "
                      + t.idsSeenTwice().size()));
    }
    md.append(
        "\nSeconds: from submitting the job to its end, MiniCluster or cluster job start and the"
            + " final checkpoint included. Per core: divided by the "
            + cores
            + " cores the job, the broker and everything else share.\n");
    for (Run r : runs) {
      md.append("\n## ").append(r.name()).append("\n\n").append(r.setup()).append(".\n\n");
      long kept = r.counters().getOrDefault("near_dedup_kept", 0L);
      long state = r.counters().getOrDefault("near_dedup_state_bytes", 0L);
      md.append(
          String.format(
              "Near-dedup keyed state: %,d bytes for %,d kept documents, **%,.0f bytes per kept"
                  + " document**.%n%n",
              state, kept, kept == 0 ? 0.0 : (double) state / kept));
      md.append(checkpointLine(r.checkpoints()));
      md.append("\n| process | peak RSS (MB) | CPU s during the run |\n|---|---:|---:|\n");
      for (var e : r.peakRssKb().entrySet()) {
        md.append(
            String.format(
                "| %s | %,.0f | %.1f |%n",
                e.getKey(),
                e.getValue() / 1024.0,
                r.cpuMsPerProcess().getOrDefault(e.getKey(), 0L) / 1000.0));
      }
      md.append(
          "\nCPU seconds by thread group (`/proc/<pid>/task`):\n\n| process | thread group | CPU s |\n|---|---|---:|\n");
      r.threadCpu()
          .forEach(
              (proc, groups) ->
                  groups.forEach(
                      (g, sec) -> md.append(String.format("| %s | %s | %.1f |%n", proc, g, sec))));
      if (r.gcMs() >= 0) {
        md.append(String.format("%nGC pauses in the JVM: %.1f s.%n", r.gcMs() / 1000.0));
      }
      double total = r.stageCpu().values().stream().mapToDouble(Double::doubleValue).sum();
      md.append(
          String.format(
              "%nCPU time per stage (%.1f CPU s in all): each thread's CPU seconds (`/proc`),"
                  + " split by the stages of its JFR execution samples (a sample belongs to the"
                  + " innermost stage on its stack); threads without samples (JIT compilers,"
                  + " garbage collector, most broker threads) under their group:%n%n"
                  + "| stage | CPU s | share |%n|---|---:|---:|%n",
              total));
      r.stageCpu().entrySet().stream()
          .filter(e -> e.getValue() >= 0.05)
          .sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
          .forEach(
              e ->
                  md.append(
                      String.format(
                          "| %s | %.1f | %.1f%% |%n",
                          e.getKey(), e.getValue(), 100.0 * e.getValue() / total)));
      md.append("\nRejections per rule:\n\n| rule | documents |\n|---|---:|\n");
      r.tally().rejectedPerRule.forEach((k, v) -> md.append(String.format("| %s | %,d |%n", k, v)));
    }
    return md.toString();
  }

  private static String checkpointLine(JsonNode c) {
    if (c == null) {
      return "No checkpoint statistics were read.\n";
    }
    JsonNode s = c.path("summary");
    return String.format(
        "Checkpoints: %d completed, %d failed; size (checkpointed) min %s / avg %s / max %s,"
            + " full state %s at the largest; end-to-end duration min %s / avg %s / max %s ms.%n",
        c.path("counts").path("completed").asLong(),
        c.path("counts").path("failed").asLong(),
        mbOf(s.path("checkpointed_size").path("min")),
        mbOf(s.path("checkpointed_size").path("avg")),
        mbOf(s.path("checkpointed_size").path("max")),
        mbOf(s.path("state_size").path("max")),
        s.path("end_to_end_duration").path("min").asText("?"),
        s.path("end_to_end_duration").path("avg").asText("?"),
        s.path("end_to_end_duration").path("max").asText("?"));
  }

  private static String mbOf(JsonNode bytes) {
    return bytes.isMissingNode() ? "?" : String.format("%.1f MB", bytes.asDouble() / 1e6);
  }

  private static Recording profiling() {
    Recording r = new Recording();
    r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
    r.enable("jdk.NativeMethodSample").withPeriod(Duration.ofMillis(20));
    return r;
  }

  private static long producePoison(String bootstrap, Path poison) throws IOException {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
    long n = 0;
    byte[] all = Files.readAllBytes(poison);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      int start = 0;
      for (int i = 0; i < all.length; i++) {
        if (all[i] == '\n') {
          byte[] line = java.util.Arrays.copyOfRange(all, start, i);
          producer.send(new ProducerRecord<>(INPUT, line));
          n++;
          start = i + 1;
        }
      }
      producer.flush();
    }
    return n;
  }

  private static void jcmd(long pid, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
    cmd.add(Long.toString(pid));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + ": " + out);
    }
  }

  private static String version() throws IOException {
    Matcher m =
        Pattern.compile("<artifactId>winnow-parent</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(Files.readString(Path.of("pom.xml")));
    if (!m.find()) {
      throw new IllegalStateException("no version in pom.xml");
    }
    return m.group(1);
  }

  /** Peak resident set ({@code VmHWM}) of a process, in kB. */
  private static long peakRssKb(String pid) throws IOException {
    for (String l : Files.readAllLines(Path.of("/proc", pid, "status"))) {
      if (l.startsWith("VmHWM:")) {
        return Long.parseLong(l.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  /** User + system CPU time of a process, in ms. */
  private static long cpuMillis(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
      return ticks * 10; // USER_HZ = 100 on Linux
    } catch (IOException e) {
      return 0;
    }
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static long gcMillis() {
    long t = 0;
    for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
      t += Math.max(0, b.getCollectionTime());
    }
    return t;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
