package dev.winnow.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.winnow.ingest.Document;
import dev.winnow.ingest.publish.PublishOptions;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The curation job seeded with a reference set, over a real KRaft broker and a Flink MiniCluster: a
 * first run curates 400 news documents; a second run reads new documents, seeded with the first
 * run's {@code curated} topic and a JSONL.gz file of 100 other documents. Exact and near copies of
 * reference documents are rejected naming them, no reference document is emitted, and every live
 * record still leaves exactly once, across an injected failure.
 */
class CurationReferenceIT {

  @Test
  void liveDocumentsAreDedupedAgainstAReferenceTopicAndFiles(@TempDir Path dir) throws Exception {
    List<Document> news = SharedCorpora.read("news", 650);
    List<Document> first = news.subList(0, 400);
    List<Document> fileRefs = news.subList(400, 500);
    List<Document> fresh = news.subList(500, 650);

    try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
      String bootstrap = kafka.bootstrapServers();

      // run 1: what was kept earlier
      CurationConfig run1 = config(bootstrap, "ref1");
      publish(bootstrap, run1.topics.input, first, dir.resolve("run1.jsonl"), dir);
      CurationSummary s1 = CurationJob.run(run1, env(run1));
      OutputTally t1 = OutputTally.read(bootstrap, run1.topics);
      assertEquals(first.size(), t1.total());
      Set<String> curated1 = t1.curatedIds.keySet();
      assertTrue(curated1.size() > 200, "run 1 kept most news: " + curated1.size());

      Path refFile = dir.resolve("reference.jsonl.gz");
      try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(refFile))) {
        for (Document d : fileRefs) {
          out.write((DocumentJson.toJson(d) + "\n").getBytes(StandardCharsets.UTF_8));
        }
      }
      Map<String, Document> byId = new HashMap<>();
      news.forEach(d -> byId.put(d.id(), d));
      Set<String> referenceIds = new HashSet<>(curated1);
      fileRefs.forEach(d -> referenceIds.add(d.id()));

      // run 2: fresh documents plus exact and near copies of reference documents (from the topic
      // and from the file)
      List<Document> live = new ArrayList<>(fresh);
      Map<String, String> exactPlanted = new HashMap<>();
      Map<String, String> nearPlanted = new HashMap<>();
      List<String> fromTopic = curated1.stream().sorted().toList();
      for (int i = 0; i < 70; i++) {
        Document o = byId.get(fromTopic.get(i * 3));
        Document c = i < 30 ? exactCopy(o) : nearCopy(o);
        (i < 30 ? exactPlanted : nearPlanted).put(c.id(), o.id());
        live.add(c);
      }
      for (int i = 0; i < 50; i++) {
        Document o = fileRefs.get(i * 2);
        Document c = i < 25 ? exactCopy(o) : nearCopy(o);
        (i < 25 ? exactPlanted : nearPlanted).put(c.id(), o.id());
        live.add(c);
      }
      java.util.Collections.shuffle(live, new java.util.Random(3));

      CurationConfig run2 = config(bootstrap, "ref2");
      run2.reference.topic = run1.topics.curated;
      run2.reference.files.add(refFile.toString());
      run2.job.checkpointIntervalMs = 300;
      run2.job.injectFailureAfterRecords = 150;
      run2.validate();
      publish(bootstrap, run2.topics.input, live, dir.resolve("run2.jsonl"), dir);
      List<byte[]> broken =
          List.of("{\"text\": \"unterminated".getBytes(StandardCharsets.UTF_8), new byte[0]);
      sendRaw(bootstrap, run2.topics.input, broken);

      int failuresBefore = InjectedFailure.triggered();
      CurationSummary s2 = CurationJob.run(run2, env(run2));
      assertEquals(
          failuresBefore + 1, InjectedFailure.triggered(), "the injected failure fired once");
      OutputTally t2 = OutputTally.read(bootstrap, run2.topics);

      // every live record leaves exactly once; reference documents never appear in any output
      assertEquals(
          live.size() + broken.size(), t2.total(), "kept + rejected + dead-lettered = live in");
      assertEquals(List.of(), t2.idsSeenTwice(), "no document twice");
      assertEquals(broken.size(), t2.deadLettered);
      Set<String> liveIds = new HashSet<>();
      live.forEach(d -> liveIds.add(d.id()));
      Set<String> outIds = new HashSet<>(t2.curatedIds.keySet());
      outIds.addAll(t2.rejectedIds.keySet());
      assertEquals(liveIds, outIds, "exactly the live documents come out, no reference document");
      assertEquals(t2.curated, s2.get("curated"));
      assertEquals(t2.rejected, s2.get("rejected"));
      assertEquals(
          curated1.size() + fileRefs.size(),
          s2.get("reference_docs"),
          "every reference document was loaded");
      assertTrue(s2.get("near_dedup_reference_bytes") > 0);

      // exact copies: rejected as exact duplicates naming the reference document (all of run 1's
      // kept ones pass the
      // quality filters again; a copy of a file reference may fail them as its original would)
      int exactChecked = 0;
      int exactFromFile = 0;
      for (var e : exactPlanted.entrySet()) {
        JsonNode r = t2.rejections.get(e.getKey());
        assertTrue(
            r != null,
            "exact copy " + e.getKey() + " of reference " + e.getValue() + " is rejected");
        if ("quality".equals(r.path("stage").asText())) {
          assertFalse(
              curated1.contains(e.getValue()),
              "a copy of a document run 1 kept passes quality: " + r);
          continue;
        }
        assertEquals("exact_duplicate", r.path("rule").asText(), r.toString());
        assertEquals(e.getValue(), r.path("duplicate_of").asText(), "names the reference document");
        exactChecked++;
        exactFromFile += curated1.contains(e.getValue()) ? 0 : 1;
      }
      assertEquals(
          30,
          exactChecked - exactFromFile,
          "every copy of a document run 1 kept is an exact duplicate");
      assertTrue(exactFromFile >= 8, "exact copies of file references checked: " + exactFromFile);

      // near copies (a header and one changed word: Jaccard about 0.95): rejected as duplicates
      // naming the reference
      // document they copy
      int nearChecked = 0;
      int nearFromFile = 0;
      for (var e : nearPlanted.entrySet()) {
        JsonNode r = t2.rejections.get(e.getKey());
        assertTrue(
            r != null,
            "near copy " + e.getKey() + " of reference " + e.getValue() + " is rejected");
        if ("quality".equals(r.path("stage").asText())) {
          continue;
        }
        // when C4 removed the lines that carry the changes, the copy is identical to its original
        // after cleaning
        assertTrue(
            Set.of("near_duplicate", "exact_duplicate").contains(r.path("rule").asText()),
            r.toString());
        assertEquals(
            e.getValue(), r.path("duplicate_of").asText(), "names the reference document: " + r);
        assertTrue(r.path("value").asDouble() >= 0.8, r.toString());
        nearChecked++;
        nearFromFile += curated1.contains(e.getValue()) ? 0 : 1;
      }
      assertTrue(
          nearChecked - nearFromFile >= 38,
          "near copies of run 1's documents checked: " + (nearChecked - nearFromFile));
      assertTrue(nearFromFile >= 8, "near copies of file references checked: " + nearFromFile);

      // fresh documents are judged on their own: the reference does not swallow them
      long freshPassedQuality =
          fresh.stream()
              .filter(
                  d -> {
                    JsonNode r = t2.rejections.get(d.id());
                    return r == null || !"quality".equals(r.path("stage").asText());
                  })
              .count();
      long freshKept = fresh.stream().filter(d -> t2.curatedIds.containsKey(d.id())).count();
      assertTrue(
          freshPassedQuality > 90, "fresh documents that passed quality: " + freshPassedQuality);
      assertTrue(
          freshKept >= freshPassedQuality * 0.9,
          "fresh kept " + freshKept + " of " + freshPassedQuality);
      for (Document d : fresh) {
        JsonNode r = t2.rejections.get(d.id());
        if (r != null && r.hasNonNull("duplicate_of")) {
          assertTrue(
              referenceIds.contains(r.path("duplicate_of").asText())
                  || liveIds.contains(r.path("duplicate_of").asText()),
              r.toString());
        }
      }
    }
  }

  @Test
  void aMissingReferenceTopicIsAClearErrorBeforeTheJobRuns(@TempDir Path dir) throws Exception {
    try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
      CurationConfig cfg = config(kafka.bootstrapServers(), "ref3");
      cfg.reference.topic = "no-such-topic";
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> CurationJob.run(cfg, env(cfg)));
      assertTrue(
          e.getMessage().contains("reference.topic")
              && e.getMessage().contains("no-such-topic")
              && e.getMessage().contains("does not exist"),
          e.getMessage());
    }
  }

  private static Document exactCopy(Document o) {
    return new Document(
        o.id() + "-copy",
        o.text().replace("\n", "\r\n").replace(" ", "  ") + "\n\n",
        o.source(),
        Map.of());
  }

  private static Document nearCopy(Document o) {
    String[] words = o.text().split(" ");
    words[words.length / 2] = "indeed";
    return new Document(
        o.id() + "-near", "Breaking: " + String.join(" ", words), o.source(), Map.of());
  }

  private static CurationConfig config(String bootstrap, String prefix) {
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
    cfg.job.checkpointIntervalMs = 1000;
    return cfg.validate();
  }

  private static StreamExecutionEnvironment env(CurationConfig cfg) {
    return StreamExecutionEnvironment.getExecutionEnvironment(CurationJob.flinkConfig(cfg));
  }

  private static void publish(
      String bootstrap, String topic, List<Document> docs, Path file, Path dir) throws Exception {
    List<String> lines = new ArrayList<>();
    docs.forEach(d -> lines.add(DocumentJson.toJson(d)));
    Files.write(file, lines, StandardCharsets.UTF_8);
    long n =
        new Publisher(
                PublishOptions.of(bootstrap, topic, List.of(file))
                    .withPartitions(3)
                    .withRejectFile(dir.resolve(topic + ".rejects.jsonl")),
                new PrintStream(OutputStream.nullOutputStream()))
            .run()
            .published();
    assertEquals(docs.size(), n);
  }

  private static void sendRaw(String bootstrap, String topic, List<byte[]> values)
      throws Exception {
    java.util.Properties p = new java.util.Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
      for (byte[] b : values) {
        producer.send(new ProducerRecord<>(topic, b)).get();
      }
    }
  }
}
