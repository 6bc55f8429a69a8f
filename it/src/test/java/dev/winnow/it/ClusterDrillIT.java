package dev.winnow.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.winnow.jobs.cli.JobManagerClient;
import dev.winnow.jobs.cli.WinnowCli;
import dev.winnow.jobs.curation.CurationConfig;
import dev.winnow.jobs.demo.EmbeddedKafkaBroker;
import dev.winnow.jobs.demo.OutputTally;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The curation job on a multi-process Flink session cluster (a JobManager and two TaskManager
 * processes), submitted as a user would: {@code winnow curate --jobmanager} uploads the job jar
 * over REST. Drill: {@code kill -9} of a TaskManager with 100,000 documents in flight, RocksDB
 * state; the job restarts from its last checkpoint on the remaining and a new TaskManager, and
 * every document leaves exactly once (kept + rejected + dead-lettered = in, no id twice), with the
 * job's counters equal to the topics.
 */
class ClusterDrillIT {
  private static final int DOCUMENTS = 100_000;
  private static final String[] WORDS =
      ("the river rose over the old stone bridge while people in the town watched from the banks"
              + " and talked about the weather the harvest the market prices and the news from the"
              + " city council which had met on tuesday to discuss the new school and the road")
          .split(" ");

  @TempDir Path dir;

  @Test
  void killNineOfATaskManagerMidRunLosesNothingAndRepeatsNothing() throws Exception {
    Path jobJar = Path.of(System.getProperty("winnow.jobJar", "missing"));
    assumeTrue(
        Files.isRegularFile(jobJar),
        "no job jar at " + jobJar + ": the drill runs in `mvn verify`, after jobs is packaged");
    // the cluster's configuration and logs stay under target/ for a look after a failure
    Path logs = Path.of("target", "cluster-drill").toAbsolutePath();
    try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start();
        FlinkSessionCluster cluster = FlinkSessionCluster.start(logs, 2, 2)) {
      String prefix = "drill-kill";
      kafka.createTopics(2, prefix + "-raw");
      produce(kafka.bootstrapServers(), prefix + "-raw");

      Path config = dir.resolve("curation.yaml");
      Files.writeString(
          config,
          String.join(
              "\n",
              "topics:",
              "  input: " + prefix + "-raw",
              "  curated: " + prefix + "-curated",
              "  rejected: " + prefix + "-rejected",
              "  deadletter: " + prefix + "-deadletter",
              "  partitions: 2",
              "job:",
              "  parallelism: 2",
              "  bounded: true",
              "  checkpointIntervalMs: 1000",
              "  stateBackend: rocksdb",
              "  checkpointDir: " + dir.resolve("checkpoints").toUri(),
              "  restartAttempts: 10",
              "  restartDelayMs: 2000",
              ""));
      String out =
          stdout(
              "curate",
              "--jobmanager",
              cluster.rest(),
              "--job-jar",
              jobJar.toString(),
              "--config",
              config.toString(),
              "--bootstrap",
              kafka.bootstrapServers(),
              "--detach");
      Matcher m = Pattern.compile("submitted job ([0-9a-f]{32})").matcher(out);
      assertTrue(m.find(), out);
      String job = m.group(1);
      JobManagerClient jm = cluster.client();

      // kill -9 once the job runs and has checkpointed, with documents still in flight
      await(
          () -> "RUNNING".equals(jm.state(job)) && jm.completedCheckpoints(job) >= 2,
          180,
          job,
          cluster);
      cluster.killTaskManager(0);
      cluster.startTaskManager();
      await(() -> isEnded(jm.state(job)), 600, job, cluster);
      assertEquals("FINISHED", jm.state(job), "logs in " + logs);

      OutputTally t = OutputTally.read(kafka.bootstrapServers(), Map.of(), topics(prefix));
      assertEquals(DOCUMENTS, t.total(), "kept + rejected + dead-lettered = in");
      assertEquals(List.of(), t.idsSeenTwice(), "no document twice");
      Map<String, Long> acc = jm.accumulators(job);
      assertEquals(t.curated, acc.get("winnow.curated"), "counter = topic: " + acc);
      assertEquals(t.rejected, acc.get("winnow.rejected"), "counter = topic: " + acc);
      assertEquals(t.deadLettered, acc.getOrDefault("winnow.deadletter", 0L), "counter = topic");
    }
  }

  private static CurationConfig.Topics topics(String prefix) {
    CurationConfig.Topics t = new CurationConfig.Topics();
    t.input = prefix + "-raw";
    t.curated = prefix + "-curated";
    t.rejected = prefix + "-rejected";
    t.deadletter = prefix + "-deadletter";
    return t;
  }

  /**
   * 100,000 documents of 40 to 200 words, a few hundred of them exact duplicates of earlier ones.
   */
  private static void produce(String bootstrap, String topic) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
    SplittableRandom r = new SplittableRandom(42);
    String[] texts = new String[DOCUMENTS];
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < DOCUMENTS; i++) {
        String text;
        if (i > 1000 && i % 250 == 0) {
          text = texts[r.nextInt(i)];
        } else {
          StringBuilder sb = new StringBuilder("Report " + i + ".");
          int sentences = 4 + r.nextInt(10);
          for (int s = 0; s < sentences; s++) {
            sb.append(' ');
            int words = 8 + r.nextInt(12);
            for (int w = 0; w < words; w++) {
              String word = WORDS[r.nextInt(WORDS.length)];
              sb.append(w == 0 ? Character.toUpperCase(word.charAt(0)) + word.substring(1) : word);
              sb.append(w == words - 1 ? "." : " ");
            }
          }
          text = sb.toString();
        }
        texts[i] = text;
        String id = "doc-" + i;
        String json = "{\"id\": \"" + id + "\", \"text\": \"" + text + "\", \"source\": \"drill\"}";
        producer.send(
            new ProducerRecord<>(
                topic, id.getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8)));
      }
      producer.flush();
    }
  }

  private interface Condition {
    boolean holds() throws Exception;
  }

  private static void await(Condition c, int seconds, String job, FlinkSessionCluster cluster)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      if (c.holds()) {
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError(
        "job "
            + job
            + ": condition not met within "
            + seconds
            + " s (state "
            + cluster.client().state(job)
            + ")");
  }

  private static boolean isEnded(String state) {
    return List.of("FINISHED", "FAILED", "CANCELED").contains(state);
  }

  private static String stdout(String... args) {
    PrintStream saved = System.out;
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    System.setOut(new PrintStream(b, true, StandardCharsets.UTF_8));
    int rc;
    try {
      rc = WinnowCli.execute(args);
    } finally {
      System.setOut(saved);
    }
    String out = b.toString(StandardCharsets.UTF_8);
    assertEquals(0, rc, out);
    return out;
  }
}
