package dev.winnow.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.winnow.ingest.Document;
import dev.winnow.ingest.publish.PublishOptions;
import dev.winnow.ingest.publish.PublishSummary;
import dev.winnow.ingest.publish.Publisher;
import dev.winnow.ingest.serde.DocumentJson;
import dev.winnow.jobs.common.InjectedFailure;
import dev.winnow.jobs.curation.CurationConfig;
import dev.winnow.jobs.curation.CurationJob;
import dev.winnow.jobs.curation.CurationSummary;
import dev.winnow.jobs.demo.EmbeddedKafkaBroker;
import dev.winnow.jobs.demo.OutputTally;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The curation job end to end over a real KRaft broker and a Flink MiniCluster: a few thousand real
 * documents with planted exact duplicates and malformed records go in; every one comes out exactly
 * once on one of the three topics.
 */
class CurationIT {

  @Test
  void everyDocumentLeavesExactlyOnceOverTheEmbeddedBroker(@TempDir Path dir) throws Exception {
    try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
      runScenario(kafka.bootstrapServers(), dir, "it1", 0);
    }
  }

  /**
   * The same with a failure in the middle: the job fails once after 1,500 records, restarts from
   * its last checkpoint and re-reads what came after it. The transactional sinks abort what the
   * failed attempt wrote, and the dedup state is restored, so the outputs are still exactly once
   * and no document is called a duplicate of itself.
   */
  @Test
  void exactlyOnceHoldsAcrossAFailureAndRestartFromCheckpoint(@TempDir Path dir) throws Exception {
    try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
      runScenario(kafka.bootstrapServers(), dir, "it2", 1500);
    }
  }

  /** Shared with the Testcontainers variant: publish, break, curate, and check every output. */
  static void runScenario(String bootstrap, Path dir, String prefix, long failAfter)
      throws Exception {
    List<Document> docs = new ArrayList<>();
    docs.addAll(SharedCorpora.read("news", 1200));
    docs.addAll(SharedCorpora.read("web", 1500));
    docs.addAll(SharedCorpora.read("reviews", 300));
    docs.addAll(SharedCorpora.read("speeches", 20));
    docs.addAll(SharedCorpora.read("udhr", 40));
    Random rnd = new Random(7);
    Map<String, String> planted = new HashMap<>(); // copy id -> original id
    int originals = docs.size();
    for (int i = 0; i < 120; i++) {
      Document o = docs.get(rnd.nextInt(originals));
      if (planted.containsValue(o.id())) {
        continue;
      }
      // the same text after normalization: CRLF line ends, doubled spaces, trailing blank lines
      String text =
          i % 2 == 0 ? o.text() : o.text().replace("\n", "\r\n").replace(" ", "  ") + "\n\n  ";
      Document copy = new Document(o.id() + "-copy", text, o.source(), Map.of());
      planted.put(copy.id(), o.id());
      docs.add(copy);
    }
    Map<String, String> nearPlanted = new HashMap<>(); // variant id -> original id
    for (int i = 0; i < originals && nearPlanted.size() < 160; i += 3) {
      Document o = docs.get(i);
      String[] words = o.text().split(" ");
      if (!o.id().startsWith("news-") || words.length < 150 || planted.containsValue(o.id())) {
        continue;
      }
      words[words.length / 2] = "indeed";
      Document v =
          new Document(
              o.id() + "-near", "Breaking: " + String.join(" ", words), o.source(), Map.of());
      nearPlanted.put(v.id(), o.id());
      docs.add(v);
    }
    Path input = dir.resolve("input.jsonl");
    List<String> lines = new ArrayList<>();
    for (Document d : docs) {
      lines.add(DocumentJson.toJson(d));
    }
    lines.add(300, "{\"id\": \"bad-json\", \"text\": "); // malformed lines: caught by publish
    lines.add(900, "{\"id\": \"no-text\"}");
    Files.write(input, lines, StandardCharsets.UTF_8);

    CurationConfig cfg = new CurationConfig();
    cfg.kafka.bootstrap = bootstrap;
    cfg.kafka.groupId = prefix + "-curation";
    cfg.kafka.transactionalIdPrefix = prefix;
    cfg.topics.input = prefix + "-raw";
    cfg.topics.curated = prefix + "-curated";
    cfg.topics.rejected = prefix + "-rejected";
    cfg.topics.deadletter = prefix + "-deadletter";
    cfg.topics.partitions = 3;
    cfg.job.bounded = true;
    cfg.job.parallelism = 2;
    cfg.job.checkpointIntervalMs = failAfter > 0 ? 300 : 1000;
    cfg.job.injectFailureAfterRecords = failAfter;
    cfg.validate();

    PublishSummary pub =
        new Publisher(
                PublishOptions.of(bootstrap, cfg.topics.input, List.of(input))
                    .withPartitions(3)
                    .withRejectFile(dir.resolve("rejects.jsonl")),
                new PrintStream(OutputStream.nullOutputStream()))
            .run();
    assertEquals(docs.size(), pub.published());
    assertEquals(2, pub.malformed());
    assertEquals(2, Files.readAllLines(dir.resolve("rejects.jsonl")).size());

    // records a broken producer might write straight to the topic
    List<byte[]> broken =
        List.of(
            "{\"text\": \"unterminated".getBytes(StandardCharsets.UTF_8),
            new byte[] {'{', '"', 't', 'e', 'x', 't', '"', ':', '"', (byte) 0xff, '"', '}'},
            "{\"id\": 1, \"text\": [1, 2]}".getBytes(StandardCharsets.UTF_8),
            "null".getBytes(StandardCharsets.UTF_8),
            new byte[0]);
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
      for (byte[] b : broken) {
        producer.send(new ProducerRecord<>(cfg.topics.input, b)).get();
      }
    }

    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(CurationJob.flinkConfig(cfg));
    int failuresBefore = InjectedFailure.triggered();
    CurationSummary summary = CurationJob.run(cfg, env);
    if (failAfter > 0) {
      assertEquals(
          failuresBefore + 1, InjectedFailure.triggered(), "the injected failure fired once");
    }
    OutputTally t = OutputTally.read(bootstrap, cfg.topics);

    long in = docs.size() + broken.size();
    assertEquals(in, t.total(), "kept + rejected + dead-lettered = in");
    assertEquals(List.of(), t.idsSeenTwice(), "no document twice");
    assertEquals(
        docs.size(),
        t.curatedIds.size() + t.rejectedIds.size(),
        "every published document accounted for");
    for (Document d : docs) {
      assertTrue(
          t.curatedIds.containsKey(d.id()) ^ t.rejectedIds.containsKey(d.id()),
          "exactly one output for " + d.id());
    }
    // the job's own counters (checkpointed, counted before the sinks) agree with the topics, also
    // after a failover
    if (failAfter == 0) {
      assertEquals(in, summary.get("in"));
    }
    assertEquals(t.curated, summary.get("curated"));
    assertEquals(t.rejected, summary.get("rejected"));
    assertEquals(t.deadLettered, summary.get("deadletter"));

    // every planted exact pair (original, copy): when the text failed a quality rule, both fail the
    // same rule (it is
    // the same text after normalization). Otherwise exactly one passes exact dedup and the other is
    // rejected as an
    // exact duplicate naming it. Which one passes is the order the job saw them in: the input topic
    // has three
    // partitions read in parallel, and the two land in different partitions.
    int namedDuplicates = 0;
    for (var e : planted.entrySet()) {
      String copy = e.getKey();
      String original = e.getValue();
      JsonNode ro = t.rejections.get(original);
      JsonNode rc = t.rejections.get(copy);
      if (ro != null && rc != null && "quality".equals(ro.path("stage").asText())) {
        assertEquals(ro.path("rule").asText(), rc.path("rule").asText(), copy);
        continue;
      }
      boolean copyIsDup = rc != null && "exact_duplicate".equals(rc.path("rule").asText());
      boolean originalIsDup = ro != null && "exact_duplicate".equals(ro.path("rule").asText());
      assertTrue(
          copyIsDup ^ originalIsDup,
          "exactly one of " + original + " and " + copy + " is an exact duplicate");
      JsonNode dup = copyIsDup ? rc : ro;
      assertEquals(
          copyIsDup ? original : copy, dup.path("duplicate_of").asText(), "names its twin");
      namedDuplicates++;
    }
    assertTrue(
        namedDuplicates >= 30, "enough planted duplicates of kept documents: " + namedDuplicates);
    assertEquals(
        namedDuplicates,
        t.rejectedPerRule.getOrDefault("exact_duplicate", 0L).intValue(),
        "no unplanted document is called an exact duplicate");
    t.rejectedPerRule.forEach(
        (rule, count) -> assertEquals(count.longValue(), summary.get("rejected." + rule), rule));

    // every planted near-duplicate pair (original, variant with a header word and one word changed;
    // Jaccard of word
    // 5-grams about 0.95) where both passed the quality filters: at least one of the two is
    // rejected as a near
    // duplicate, and nearly always it names its twin (it may name a third, older near-copy that the
    // corpus holds)
    int nearPairs = 0;
    int nearNamed = 0;
    for (var e : nearPlanted.entrySet()) {
      JsonNode ro = t.rejections.get(e.getValue());
      JsonNode rv = t.rejections.get(e.getKey());
      if ((ro != null && !"near_dedup".equals(ro.path("stage").asText()))
          || (rv != null && !"near_dedup".equals(rv.path("stage").asText()))) {
        continue;
      }
      nearPairs++;
      assertTrue(
          ro != null || rv != null,
          "one of the near pair " + e.getValue() + " / " + e.getKey() + " is rejected");
      JsonNode r = rv != null ? rv : ro;
      assertTrue(r.path("value").asDouble() >= 0.8, r.toString());
      if ((rv != null ? e.getValue() : e.getKey()).equals(r.path("duplicate_of").asText())) {
        nearNamed++;
      }
    }
    assertTrue(nearPairs >= 40, "near pairs that passed quality: " + nearPairs);
    assertTrue(
        nearNamed >= nearPairs * 0.9,
        "near-duplicates naming their twin: " + nearNamed + " of " + nearPairs);

    // every broken record is dead-lettered byte for byte, with a reason (the dead-letter topic has
    // several
    // partitions, so compare as multisets)
    assertEquals(broken.size(), t.deadLettered);
    List<String> expectedBytes = new ArrayList<>();
    broken.forEach(b -> expectedBytes.add(java.util.Base64.getEncoder().encodeToString(b)));
    List<String> gotBytes = new ArrayList<>();
    t.deadLetterValues.forEach(
        b ->
            gotBytes.add(
                java.util.Base64.getEncoder().encodeToString(b == null ? new byte[0] : b)));
    java.util.Collections.sort(expectedBytes);
    java.util.Collections.sort(gotBytes);
    assertEquals(expectedBytes, gotBytes);
    for (String reason : t.deadLetterReasons) {
      assertTrue(reason.startsWith("undecodable record: "), reason);
    }

    // rejections carry rule, value and threshold
    for (JsonNode r : t.rejections.values()) {
      assertTrue(
          r.hasNonNull("rule")
              && r.hasNonNull("threshold")
              && r.has("value")
              && r.hasNonNull("stage"),
          r.toString());
    }
    // the quality filters do their job on real genres: most news kept, most web rejected
    long newsKept =
        docs.stream()
            .filter(
                d ->
                    d.id().startsWith("news-")
                        && !d.id().endsWith("-copy")
                        && t.curatedIds.containsKey(d.id()))
            .count();
    long webKept =
        docs.stream()
            .filter(d -> d.id().startsWith("web-") && t.curatedIds.containsKey(d.id()))
            .count();
    assertTrue(newsKept > 600, "news kept: " + newsKept + " of 1200");
    assertTrue(webKept < 150, "web kept: " + webKept + " of 1500");
  }
}
