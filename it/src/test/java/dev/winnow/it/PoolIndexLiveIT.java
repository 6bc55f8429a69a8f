package dev.winnow.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.winnow.jobs.demo.EmbeddedKafkaBroker;
import dev.winnow.jobs.pool.PoolIndexConfig;
import dev.winnow.jobs.pool.PoolIndexJob;
import dev.winnow.prompt.pool.DemonstrationEmbedder;
import dev.winnow.prompt.pool.DemonstrationJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code PoolIndexJob} unbounded, as a service runs it: demonstrations published while the job runs
 * reach the pool (visible to readers at the next checkpoint's Lucene commit), and so do later
 * replacements and tombstones.
 */
class PoolIndexLiveIT {

  @Test
  void anUnboundedJobIndexesDemonstrationsAsTheyArrive(@TempDir Path dir) throws Exception {
    List<dev.winnow.ingest.Document> news = SharedCorpora.read("news", 60);
    try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
      String bootstrap = kafka.bootstrapServers();
      String topic = "live-demos";
      kafka.createTopics(1, topic);
      PoolIndexConfig cfg = new PoolIndexConfig();
      cfg.kafka.bootstrap = bootstrap;
      cfg.topic = topic;
      cfg.poolsDir = dir.resolve("pools").toString();
      cfg.pool = "live";
      cfg.job.bounded = false;
      cfg.job.parallelism = 1;
      cfg.job.checkpointIntervalMs = 300;
      cfg.embedding.threads = 2;
      cfg.embedding.batchSize = 8;
      cfg.validate();
      kafka.createTopics(1, cfg.deadletterTopic());
      StreamExecutionEnvironment env =
          StreamExecutionEnvironment.getExecutionEnvironment(PoolIndexJob.flinkConfig(cfg));
      PoolIndexJob.build(cfg, env, DemonstrationEmbedder.DEFAULT_EMBED_TOKENS);
      JobClient job = env.executeAsync("pool-index-live");
      Path index = cfg.poolDirectory().resolve("index");
      Map<String, String> expected = new TreeMap<>(); // id -> output
      Properties p = new Properties();
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      try (KafkaProducer<byte[], byte[]> producer =
          new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
        // the job is running before anything is published: every demonstration arrives live
        for (int i = 0; i < 20; i++) {
          send(producer, topic, demo(news.get(i)), expected);
        }
        assertEquals(expected, awaitPool(index, expected, 240), "the first 20 arrived");

        for (int i = 20; i < 30; i++) {
          send(producer, topic, demo(news.get(i)), expected);
        }
        ObjectNode revised = demo(news.get(1)).put("output", "Revised headline");
        send(producer, topic, revised, expected);
        String gone = news.get(0).id();
        producer.send(new ProducerRecord<>(topic, gone.getBytes(StandardCharsets.UTF_8), null));
        producer.flush();
        expected.remove(gone);
        assertEquals(
            expected,
            awaitPool(index, expected, 240),
            "10 more, a replacement and a deletion arrived");
      } finally {
        job.cancel().get(60, TimeUnit.SECONDS);
      }
    }
  }

  private static ObjectNode demo(dev.winnow.ingest.Document d) {
    String text = d.text();
    int nl = Math.max(1, text.indexOf('\n'));
    return DemonstrationJson.MAPPER
        .createObjectNode()
        .put("id", d.id())
        .put(
            "input",
            text.substring(nl)
                .strip()
                .substring(0, Math.min(200, text.substring(nl).strip().length())))
        .put("output", text.substring(0, nl).strip());
  }

  private static void send(
      KafkaProducer<byte[], byte[]> producer,
      String topic,
      ObjectNode o,
      Map<String, String> expected) {
    String id = o.get("id").asText();
    producer.send(
        new ProducerRecord<>(
            topic,
            id.getBytes(StandardCharsets.UTF_8),
            o.toString().getBytes(StandardCharsets.UTF_8)));
    producer.flush();
    expected.put(id, o.get("output").asText());
  }

  /**
   * Polls the pool's last Lucene commit until it holds {@code expected} (id -> output) or the time
   * is up; returns what it holds.
   */
  private static Map<String, String> awaitPool(
      Path index, Map<String, String> expected, int seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    Map<String, String> seen = Map.of();
    while (System.nanoTime() < deadline) {
      if (Files.isDirectory(index)) {
        try (FSDirectory d = FSDirectory.open(index)) {
          if (DirectoryReader.indexExists(d)) {
            try (DirectoryReader reader = DirectoryReader.open(d)) {
              seen = contents(reader);
              if (seen.equals(expected)) {
                return seen;
              }
            }
          }
        }
      }
      Thread.sleep(200);
    }
    return seen;
  }

  private static Map<String, String> contents(DirectoryReader reader) throws java.io.IOException {
    Map<String, String> out = new TreeMap<>();
    for (LeafReaderContext ctx : reader.leaves()) {
      LeafReader leaf = ctx.reader();
      Bits live = leaf.getLiveDocs();
      for (int i = 0; i < leaf.maxDoc(); i++) {
        if (live == null || live.get(i)) {
          Document doc = leaf.storedFields().document(i);
          out.put(doc.get("id"), doc.get("output"));
        }
      }
    }
    return out;
  }
}
