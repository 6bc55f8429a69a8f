package dev.winnow.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.winnow.ingest.Document;
import dev.winnow.jobs.cli.WinnowCli;
import dev.winnow.jobs.common.InjectedFailure;
import dev.winnow.jobs.demo.EmbeddedKafkaBroker;
import dev.winnow.jobs.kafka.DeadLetterSerializer;
import dev.winnow.jobs.kafka.TopicReader;
import dev.winnow.jobs.models.BundledModels;
import dev.winnow.jobs.pool.PoolIndexConfig;
import dev.winnow.jobs.pool.PoolIndexJob;
import dev.winnow.jobs.pool.PoolIndexSummary;
import dev.winnow.prompt.model.ProxyLm;
import dev.winnow.prompt.pool.Demonstration;
import dev.winnow.prompt.pool.DemonstrationEmbedder;
import dev.winnow.prompt.pool.DemonstrationJson;
import dev.winnow.prompt.pool.DemonstrationPool;
import dev.winnow.prompt.pool.PoolHit;
import dev.winnow.prompt.pool.PoolRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code PoolIndexJob} over a real broker and MiniCluster: a topic of ~300 demonstrations made from
 * the news corpus (body → headline), with replacements, tombstones, a delete-then-re-add, keyless
 * records and malformed records, indexed bounded with a failure injected mid-run. The pool must end
 * up holding exactly the topic's last state per id, with the same stored fields and vectors as
 * {@code winnow pool build} gives for those demonstrations, and the malformed records must be on
 * the dead-letter topic with their reasons.
 */
class PoolIndexIT {

  @Test
  void indexesATopicIntoAPoolThatEqualsPoolBuildAcrossAFailure(@TempDir Path dir) throws Exception {
    List<Document> news = SharedCorpora.read("news", 420);
    List<ObjectNode> demos = new ArrayList<>();
    for (Document d : news) {
      String text = d.text();
      int nl = text.indexOf('\n');
      if (nl < 1 || text.length() - nl < 80) {
        continue;
      }
      String body = text.substring(nl + 1).strip();
      ObjectNode o = DemonstrationJson.MAPPER.createObjectNode();
      o.put("id", d.id())
          .put("input", body.substring(0, Math.min(300, body.length())))
          .put("output", text.substring(0, nl).strip());
      if (demos.size() % 7 == 0) {
        o.putObject("meta").put("source", "news").put("n", demos.size());
      }
      demos.add(o);
      if (demos.size() == 300) {
        break;
      }
    }
    assertEquals(300, demos.size(), "enough news articles for the test");

    // What the topic says, in order; `expected` tracks the last state per id as a reader of the
    // topic would see it.
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    Map<String, Demonstration> expected = new TreeMap<>();
    long upserts = 0;
    long tombstones = 0;
    String topic = "demos";
    for (int i = 0; i < demos.size(); i++) {
      ObjectNode o = demos.get(i);
      boolean keyless =
          i % 60 == 5; // 5 records without key and id: the id is derived from the text, as in pool
      // build
      if (keyless) {
        o.remove("id");
      }
      Demonstration d = DemonstrationJson.parse(o, "test");
      records.add(new ProducerRecord<>(topic, keyless ? null : bytes(d.id()), bytes(o.toString())));
      expected.put(d.id(), d);
      upserts++;
    }
    List<String> replaced = new ArrayList<>();
    List<String> deleted = new ArrayList<>();
    for (int i = 10; i < 300; i += 29) { // 10 replacements with a new output
      ObjectNode o =
          demos.get(i).deepCopy().put("output", "Revised: " + demos.get(i).get("output").asText());
      Demonstration d = DemonstrationJson.parse(o, "test");
      records.add(new ProducerRecord<>(topic, bytes(d.id()), bytes(o.toString())));
      expected.put(d.id(), d);
      replaced.add(d.id());
      upserts++;
    }
    for (int i = 3; i < 300; i += 50) { // 6 tombstones
      String id = demos.get(i).get("id").asText();
      records.add(new ProducerRecord<>(topic, bytes(id), null));
      expected.remove(id);
      deleted.add(id);
      tombstones++;
    }
    records.add(
        new ProducerRecord<>(
            topic, bytes("no-such-id"), null)); // deleting what is not there is no error
    tombstones++;
    ObjectNode back =
        demos.get(53).deepCopy().put("output", "Back again"); // deleted above, then added again
    records.add(
        new ProducerRecord<>(topic, bytes(back.get("id").asText()), bytes(back.toString())));
    expected.put(back.get("id").asText(), DemonstrationJson.parse(back, "test"));
    deleted.remove(back.get("id").asText());
    upserts++;

    // malformed records: value (or null) -> a fragment of the reason the dead-letter topic must
    // give
    Map<String, String> malformed = new LinkedHashMap<>();
    malformed.put("{\"id\": \"m1\", \"input\": \"2 + 2\", \"output\": ", "not valid JSON");
    malformed.put("{\"id\": \"m2\", \"input\": \"2 + 2\"}", ".output: must be a string");
    malformed.put("{\"id\": \"m3\", \"output\": \"4\"}", ".input: must be a non-blank string");
    malformed.put(
        "{\"id\": \"m4\", \"input\": \"2 + 2\", \"output\": \"4\", \"answer\": 4}", "answer");
    malformed.put(
        "{\"id\": \"m5\", \"input\": \"2 + 2\", \"output\": \"4\"}",
        "differs from the demonstration's id \"m5\"");
    List<byte[]> malformedValues = new ArrayList<>();
    for (String v : malformed.keySet()) {
      byte[] key = v.contains("m5") ? bytes("not-m5") : v.contains("m1") ? bytes("m1") : null;
      records.add(records.size() / 2, new ProducerRecord<>(topic, key, bytes(v)));
      malformedValues.add(bytes(v));
    }
    byte[] notUtf8 = {'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
    records.add(new ProducerRecord<>(topic, null, notUtf8));
    records.add(new ProducerRecord<>(topic, null, null)); // a tombstone without a key
    int malformedCount = malformed.size() + 2;

    try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
      String bootstrap = kafka.bootstrapServers();
      kafka.createTopics(2, topic);
      Properties p = new Properties();
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
      try (KafkaProducer<byte[], byte[]> producer =
          new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
        for (ProducerRecord<byte[], byte[]> r : records) {
          producer.send(
              r); // idempotent producer: one partition's (so one key's) records keep the order
          // above
        }
        producer.flush();
      }

      PoolIndexConfig cfg = new PoolIndexConfig();
      cfg.kafka.bootstrap = bootstrap;
      cfg.topic = topic;
      cfg.poolsDir = dir.resolve("pools").toString();
      cfg.pool = "news";
      cfg.job.bounded = true;
      cfg.job.parallelism = 2;
      cfg.job.checkpointIntervalMs = 300;
      cfg.job.injectFailureAfterRecords = 90; // per source subtask 0: about half of its partition
      cfg.embedding.threads = 2;
      cfg.embedding.batchSize = 8;
      int failuresBefore = InjectedFailure.triggered();
      PoolIndexSummary s =
          PoolIndexJob.run(
              cfg,
              StreamExecutionEnvironment.getExecutionEnvironment(PoolIndexJob.flinkConfig(cfg)));
      assertEquals(
          failuresBefore + 1, InjectedFailure.triggered(), "the injected failure fired once");
      assertEquals(upserts, s.get("upserted"), s.table());
      assertEquals(tombstones, s.get("deleted"), s.table());
      assertEquals(malformedCount, s.get("deadletter"), s.table());
      assertEquals(expected.size(), s.poolSize(), s.table());

      // dead letters: original bytes, reason in the header
      List<byte[]> dlValues = new ArrayList<>();
      List<String> dlReasons = new ArrayList<>();
      TopicReader.forEach(
          bootstrap,
          cfg.deadletterTopic(),
          r -> {
            Header h = r.headers().lastHeader(DeadLetterSerializer.ERROR_HEADER);
            assertNotNull(h, "dead letter without a reason");
            dlValues.add(r.value());
            dlReasons.add(new String(h.value(), StandardCharsets.UTF_8));
          });
      assertEquals(malformedCount, dlValues.size(), "each malformed record once: " + dlReasons);
      int m = 0;
      for (Map.Entry<String, String> e : malformed.entrySet()) {
        int at = indexOf(dlValues, malformedValues.get(m++));
        assertTrue(at >= 0, "dead-lettered: " + e.getKey());
        assertTrue(
            dlReasons.get(at).contains(e.getValue()) && dlReasons.get(at).contains("record demos-"),
            "reason of " + e.getKey() + ": " + dlReasons.get(at));
      }
      int at = indexOf(dlValues, notUtf8);
      assertTrue(at >= 0 && dlReasons.get(at).contains("not valid UTF-8"), dlReasons.toString());
      at = indexOf(dlValues, null);
      assertTrue(
          at >= 0 && dlReasons.get(at).contains("tombstone (null value) without a key"),
          dlReasons.toString());
    }

    // the pool as `winnow serve` opens it, against one built from the same final demonstrations by
    // `winnow pool build`
    Path jsonl = dir.resolve("final.jsonl");
    List<String> lines = new ArrayList<>();
    for (Demonstration d : expected.values()) {
      lines.add(DemonstrationJson.MAPPER.writeValueAsString(d));
    }
    Files.write(jsonl, lines, StandardCharsets.UTF_8);
    Path reference = dir.resolve("reference");
    assertEquals(
        0,
        WinnowCli.execute(
            "pool",
            "build",
            "--pool",
            reference.toString(),
            "--input",
            jsonl.toString(),
            "--threads",
            "2",
            "--reject-file",
            dir.resolve("rejects.jsonl").toString()));

    try (ProxyLm lm = ProxyLm.loadCpu(BundledModels.resolve(BundledModels.PROXY_MINI), 2);
        PoolRegistry registry =
            new PoolRegistry(
                dir.resolve("pools"),
                new DemonstrationEmbedder(lm, DemonstrationEmbedder.DEFAULT_EMBED_TOKENS));
        DemonstrationPool built =
            DemonstrationPool.open(
                reference,
                new DemonstrationEmbedder(lm, DemonstrationEmbedder.DEFAULT_EMBED_TOKENS))) {
      assertEquals(List.of("news"), registry.names());
      DemonstrationPool pool = registry.get("news").orElseThrow();
      assertEquals(expected.size(), pool.size());
      assertEquals(expected.size(), built.size());
      for (Demonstration d : expected.values()) {
        assertEquals(d, pool.get(d.id()).orElse(null), "stored fields of " + d.id());
      }
      for (String id : deleted) {
        assertFalse(pool.get(id).isPresent(), "deleted by a tombstone: " + id);
      }
      for (String id : replaced) {
        assertTrue(
            pool.get(id).orElseThrow().output().startsWith("Revised: "),
            "the later record wins: " + id);
      }

      float[] probe = pool.embedder().embed("the prime minister and the wheat exporter");
      Map<String, float[]> indexed = vectors(pool.exactKnn(probe, expected.size()));
      Map<String, float[]> fromJsonl = vectors(built.exactKnn(probe, expected.size()));
      assertEquals(fromJsonl.keySet(), indexed.keySet());
      for (String id : fromJsonl.keySet()) {
        float[] a = fromJsonl.get(id);
        float[] b = indexed.get(id);
        for (int j = 0; j < a.length; j++) {
          assertEquals(a[j], b[j], 1e-6f, "vector of " + id + " at " + j);
        }
      }
      List<String> queries =
          new ArrayList<>(
              List.of(
                  "cricket match result",
                  "court case sentencing",
                  "interest rates and the economy"));
      for (Demonstration d : new ArrayList<>(expected.values()).subList(0, 5)) {
        queries.add(d.input());
      }
      for (String q : queries) {
        float[] v = pool.embedder().embed(q);
        assertArrayEquals(
            ids(built.knn(v, 8, 200)), ids(pool.knn(v, 8, 200)), "kNN selection for \"" + q + "\"");
      }
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static int indexOf(List<byte[]> values, byte[] v) {
    for (int i = 0; i < values.size(); i++) {
      if (v == null ? values.get(i) == null : java.util.Arrays.equals(values.get(i), v)) {
        return i;
      }
    }
    return -1;
  }

  private static Map<String, float[]> vectors(List<PoolHit> hits) {
    Map<String, float[]> out = new HashMap<>();
    for (PoolHit h : hits) {
      out.put(h.id(), h.vector());
    }
    return out;
  }

  private static String[] ids(List<PoolHit> hits) {
    return hits.stream().map(PoolHit::id).toArray(String[]::new);
  }
}
