package dev.winnow.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.ingest.Document;
import dev.winnow.ingest.publish.PublishOptions;
import dev.winnow.ingest.publish.Publisher;
import dev.winnow.ingest.serde.DocumentJson;
import dev.winnow.jobs.curation.CurationConfig;
import dev.winnow.jobs.curation.CurationJob;
import dev.winnow.jobs.curation.CurationSummary;
import dev.winnow.jobs.curriculum.CurriculumJob;
import dev.winnow.jobs.curriculum.CurriculumJobConfig;
import dev.winnow.jobs.curriculum.CurriculumSummary;
import dev.winnow.jobs.demo.EmbeddedKafkaBroker;
import dev.winnow.jobs.demo.OutputTally;
import dev.winnow.jobs.kafka.TopicReader;
import dev.winnow.jobs.pool.PoolIndexConfig;
import dev.winnow.jobs.pool.PoolIndexJob;
import dev.winnow.jobs.pool.PoolIndexSummary;
import dev.winnow.selection.curriculum.DifficultyMeasure;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jobs against a broker that requires SASL/PLAIN, as a secured cluster does: curation,
 * curriculum and pool indexing each create their topics, read and write with the configured client
 * properties; a wrong password fails fast, saying that authentication failed and where the
 * properties came from.
 */
class KafkaSecurityIT {
  private static final Map<String, String> USERS =
      new LinkedHashMap<>(Map.of("admin", "admin-secret"));
  private static EmbeddedKafkaBroker kafka;
  private static Map<String, String> alice;

  @TempDir Path dir;

  @BeforeAll
  static void startSecuredBroker() throws Exception {
    USERS.put("alice", "alice-secret");
    kafka = EmbeddedKafkaBroker.startSaslPlain(USERS);
    alice = EmbeddedKafkaBroker.saslPlainClientProperties("alice", "alice-secret");
  }

  @AfterAll
  static void stop() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void curationThenCurriculumRunWithTheClientProperties() throws Exception {
    List<Document> docs = SharedCorpora.read("news", 300);
    Path input = dir.resolve("in.jsonl");
    List<String> lines = new ArrayList<>();
    docs.forEach(d -> lines.add(DocumentJson.toJson(d)));
    Document first = docs.get(0); // a planted exact duplicate, under another id
    lines.add(
        DocumentJson.toJson(
            new Document("dup-of-" + first.id(), first.text(), first.source(), first.meta())));
    lines.add("{\"text\": \"unterminated"); // not a document: rejected by publish
    Files.write(input, lines, StandardCharsets.UTF_8);

    CurationConfig cfg = BoundedRun.config(kafka.bootstrapServers(), "sasl", 500, 0);
    cfg.kafka.properties.putAll(alice);
    new Publisher(
            PublishOptions.of(cfg.kafka.bootstrap, cfg.topics.input, List.of(input))
                .withPartitions(2)
                .withClientProperties(alice)
                .withRejectFile(dir.resolve("publish.rejects.jsonl")),
            new PrintStream(OutputStream.nullOutputStream()))
        .run();

    CurationSummary s =
        CurationJob.run(
            cfg.validate(),
            StreamExecutionEnvironment.getExecutionEnvironment(CurationJob.flinkConfig(cfg)));
    OutputTally t = OutputTally.read(cfg.kafka.bootstrap, alice, cfg.topics);
    assertEquals(docs.size() + 1, t.total(), "kept + rejected + dead-lettered = in: " + s.table());
    assertEquals(List.of(), t.idsSeenTwice());
    assertTrue(
        t.rejectedPerRule.getOrDefault("exact_duplicate", 0L) == 1, t.rejectedPerRule.toString());

    CurriculumJobConfig cur = new CurriculumJobConfig();
    cur.kafka.bootstrap = kafka.bootstrapServers();
    cur.kafka.properties.putAll(alice);
    cur.inputTopic = cfg.topics.curated;
    cur.outputTopic = "sasl-curriculum";
    cur.deadletterTopic = "sasl-curriculum-deadletter";
    cur.curriculum.measure = DifficultyMeasure.LENGTH;
    cur.parallelism = 2;
    CurriculumSummary cs =
        CurriculumJob.run(
            cur, StreamExecutionEnvironment.getExecutionEnvironment(CurriculumJob.flinkConfig()));
    assertEquals(t.curated, cs.documents());
    assertEquals(
        t.curated, TopicReader.forEach(cur.kafka.bootstrap, alice, cur.outputTopic, r -> {}));
  }

  @Test
  void poolIndexingRunsWithTheClientProperties() throws Exception {
    String topic = "sasl-demos";
    kafka.createTopics(1, topic);
    Properties p = new Properties();
    p.putAll(alice);
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < 20; i++) {
        String json =
            "{\"id\": \"d"
                + i
                + "\", \"input\": \"what is "
                + i
                + " + "
                + i
                + "?\", \"output\": \""
                + (2 * i)
                + "\"}";
        producer.send(
            new ProducerRecord<>(
                topic,
                ("d" + i).getBytes(StandardCharsets.UTF_8),
                json.getBytes(StandardCharsets.UTF_8)));
      }
    }
    PoolIndexConfig cfg = new PoolIndexConfig();
    cfg.kafka.bootstrap = kafka.bootstrapServers();
    cfg.kafka.properties.putAll(alice);
    cfg.topic = topic;
    cfg.poolsDir = dir.resolve("pools").toString();
    cfg.pool = "sums";
    cfg.job.bounded = true;
    cfg.job.parallelism = 1;
    cfg.job.checkpointIntervalMs = 300;
    cfg.embedding.threads = 2;
    PoolIndexSummary s =
        PoolIndexJob.run(
            cfg, StreamExecutionEnvironment.getExecutionEnvironment(PoolIndexJob.flinkConfig(cfg)));
    assertEquals(20, s.poolSize(), s.table());
  }

  @Test
  void aWrongPasswordFailsFastNamingWhereThePropertiesCameFrom() throws Exception {
    Path config = dir.resolve("secured.yaml");
    Files.writeString(
        config,
        "kafka:\n  bootstrap: "
            + kafka.bootstrapServers()
            + "\n  properties:\n"
            + "    security.protocol: SASL_PLAINTEXT\n    sasl.mechanism: PLAIN\n"
            + "    sasl.jaas.config: 'org.apache.kafka.common.security.plain.PlainLoginModule required username=\"alice\" password=\"wrong\";'\n"
            + "topics:\n  input: sasl-wrong-raw\n  curated: sasl-wrong-curated\n  rejected: sasl-wrong-rejected\n"
            + "  deadletter: sasl-wrong-deadletter\njob:\n  bounded: true\n");
    CurationConfig cfg = CurationConfig.load(config);
    long t0 = System.nanoTime();
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                CurationJob.run(
                    cfg,
                    StreamExecutionEnvironment.getExecutionEnvironment(
                        CurationJob.flinkConfig(cfg))));
    double secs = (System.nanoTime() - t0) / 1e9;
    assertTrue(e.getMessage().contains("authentication failed"), e.getMessage());
    assertTrue(
        e.getMessage().contains(config.toAbsolutePath().toString()),
        "names the config file: " + e.getMessage());
    assertTrue(secs < 30, "fails fast, not after client timeouts: " + secs + " s");
  }
}
