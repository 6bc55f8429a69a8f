package dev.winnow.ingest.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.winnow.ingest.io.ParquetFixtures;
import dev.winnow.ingest.io.ReadOptions;
import dev.winnow.ingest.io.WarcFixtures;
import dev.winnow.ingest.serde.DocumentJson;
import dev.winnow.jobs.demo.EmbeddedKafkaBroker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Publishing against a real embedded KRaft broker. */
class PublisherTest {
  static EmbeddedKafkaBroker kafka;
  static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

  @BeforeAll
  static void startBroker() throws IOException {
    kafka = EmbeddedKafkaBroker.start();
  }

  @AfterAll
  static void stopBroker() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void publishesJsonlGzAndTextDirsAndRejectsBadLines(@TempDir Path dir) throws Exception {
    Path jsonl = dir.resolve("a.jsonl.gz");
    try (var out =
        new PrintStream(
            new GZIPOutputStream(Files.newOutputStream(jsonl)), false, StandardCharsets.UTF_8)) {
      out.println("{\"id\":\"d1\",\"text\":\"first document\",\"source\":\"t\"}");
      out.println("{\"id\":\"d2\",\"text\":"); // malformed: line 2
      out.println(""); // blank: skipped, not counted
      out.println("{\"text\":\"no id here\"}");
      out.println(
          "{\"id\":\"big\",\"text\":\"" + "x".repeat(5000) + "\"}"); // oversized with a 2 KiB limit
    }
    Path texts = dir.resolve("texts");
    Files.createDirectories(texts.resolve("sub"));
    Files.writeString(texts.resolve("one.txt"), "plain text one");
    Files.writeString(texts.resolve("sub/two.txt"), "plain text two");
    Files.write(texts.resolve("bad.bin"), new byte[] {(byte) 0xff, (byte) 0xfe, 0x41});
    Path rejects = dir.resolve("rejects.jsonl");

    PublishOptions o =
        PublishOptions.of(kafka.bootstrapServers(), "pub1", List.of(jsonl, texts))
            .withRejectFile(rejects)
            .withMaxRecordBytes(2048)
            .withPartitions(2);
    PublishSummary s = new Publisher(o, QUIET).run();

    assertEquals(7, s.entriesRead());
    assertEquals(4, s.published());
    assertEquals(2, s.malformed());
    assertEquals(1, s.oversized());
    Map<String, JsonNode> got = readTopic("pub1");
    assertEquals(4, got.size());
    assertTrue(got.containsKey("d1"));
    assertEquals(
        "plain text one",
        got.values().stream()
            .filter(n -> "one.txt".equals(n.path("meta").path("path").asText()))
            .findFirst()
            .orElseThrow()
            .path("text")
            .asText());

    List<String> rej = Files.readAllLines(rejects);
    assertEquals(3, rej.size(), rej.toString());
    assertTrue(
        rej.get(0).contains("a.jsonl.gz:2") && rej.get(0).contains("invalid JSON"), rej.get(0));
    assertTrue(
        rej.get(1).contains("document big is")
            && rej.get(1).contains("over the limit of 2,048 bytes"),
        rej.get(1));
    assertTrue(
        rej.get(2).contains("bad.bin") && rej.get(2).contains("not valid UTF-8"), rej.get(2));
  }

  @Test
  void publishesWarcWetAndParquetAndRejectsWhatIsNoDocument(@TempDir Path dir) throws Exception {
    Path warc = dir.resolve("crawl.warc.gz");
    List<String> article =
        List.of(
            "The first paragraph of a page that the extractor keeps, with enough words in it.",
            "The second paragraph of the same page, which also survives the boilerplate removal.");
    try (WarcFixtures w = new WarcFixtures(warc, true)) {
      w.warcinfo()
          .html(
              1,
              "https://example.org/a",
              WarcFixtures.page("Page A", article),
              StandardCharsets.UTF_8,
              true)
          .response(2, "https://example.org/a.png", "image/png", new byte[] {1, 2, 3})
          .garbage("WARC/1.1\r\nContent-Length: nope\r\n\r\n");
    }
    Path wet = dir.resolve("crawl.warc.wet.gz");
    try (WarcFixtures w = new WarcFixtures(wet, true)) {
      w.conversion(3, "https://example.org/b", "Extracted text of page B.");
    }
    Path parquet = dir.resolve("shard.parquet");
    var schema =
        org.apache.parquet.schema.MessageTypeParser.parseMessageType(
            "message m { optional binary id (STRING); optional binary content (STRING); optional int64 n; }");
    ParquetFixtures.write(
        parquet,
        schema,
        1 << 20,
        rows -> {
          for (int i = 0; i < 3; i++) {
            var g = rows.newRow();
            g.add("id", "pq-" + i);
            if (i != 1) {
              g.add("content", "Parquet row " + i);
            }
            g.add("n", (long) i);
            rows.add(g);
          }
        });
    Path rejects = dir.resolve("rejects.jsonl");
    PublishOptions o =
        PublishOptions.of(kafka.bootstrapServers(), "pub-web", List.of(warc, wet, parquet))
            .withRejectFile(rejects)
            .withPartitions(1)
            .withReadOptions(new ReadOptions("content"));
    PublishSummary s = new Publisher(o, QUIET).run();

    assertEquals(7, s.entriesRead());
    assertEquals(4, s.published());
    assertEquals(3, s.malformed());
    Map<String, JsonNode> got = readTopic("pub-web");
    assertEquals(
        java.util.Set.of(
            WarcFixtures.uuid(1).toString(), WarcFixtures.uuid(3).toString(), "pq-0", "pq-2"),
        got.keySet());
    JsonNode a = got.get(WarcFixtures.uuid(1).toString());
    assertEquals("Page A\n\n" + String.join("\n\n", article), a.path("text").asText());
    assertEquals("https://example.org/a", a.path("meta").path("url").asText());
    assertEquals(
        "Extracted text of page B.",
        got.get(WarcFixtures.uuid(3).toString()).path("text").asText());
    assertEquals(2, got.get("pq-2").path("meta").path("n").asLong());

    List<String> rej = Files.readAllLines(rejects);
    assertEquals(3, rej.size(), rej.toString());
    assertTrue(rej.get(0).contains("not HTML: content type image/png"), rej.get(0));
    assertTrue(rej.get(1).contains("unreadable WARC record"), rej.get(1));
    assertTrue(
        rej.get(2).contains("shard.parquet:row 2") && rej.get(2).contains("is null or empty"),
        rej.get(2));
  }

  @Test
  void resumeAfterCrashNeitherLosesNorDuplicates(@TempDir Path dir) throws Exception {
    Path jsonl = dir.resolve("many.jsonl");
    try (var out = new PrintStream(Files.newOutputStream(jsonl), false, StandardCharsets.UTF_8)) {
      for (int i = 0; i < 1000; i++) {
        out.println("{\"id\":\"doc-" + i + "\",\"text\":\"document number " + i + "\"}");
      }
    }
    PublishOptions o =
        PublishOptions.of(kafka.bootstrapServers(), "pub2", List.of(jsonl))
            .withTransactionEntries(100)
            .withRejectFile(dir.resolve("r.jsonl"));
    Publisher crashing = new Publisher(o, QUIET);
    crashing.crashAfterEntries =
        357; // mid-transaction: entries 300..356 were sent but never committed
    assertThrows(IllegalStateException.class, crashing::run);

    Map<String, JsonNode> afterCrash = readTopic("pub2");
    assertEquals(300, afterCrash.size(), "only committed transactions are visible");

    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PublishSummary s =
        new Publisher(o.withResume(true), new PrintStream(log, true, StandardCharsets.UTF_8)).run();
    assertEquals(300, s.skippedOnResume());
    assertEquals(700, s.published());
    assertTrue(log.toString(StandardCharsets.UTF_8).contains("continuing after entry 300"));

    List<String> keys = readKeys("pub2");
    assertEquals(1000, keys.size(), "every document exactly once");
    assertEquals(1000, new java.util.HashSet<>(keys).size());

    PublishSummary again = new Publisher(o.withResume(true), QUIET).run();
    assertEquals(0, again.published(), "a resumed complete run publishes nothing");
    assertEquals(1000, readKeys("pub2").size());
  }

  private static Map<String, JsonNode> readTopic(String topic) throws IOException {
    Map<String, JsonNode> out = new HashMap<>();
    for (ConsumerRecord<String, byte[]> r : consume(topic)) {
      out.put(r.key(), DocumentJson.mapper().readTree(r.value()));
    }
    return out;
  }

  private static List<String> readKeys(String topic) {
    return consume(topic).stream().map(ConsumerRecord::key).toList();
  }

  private static List<ConsumerRecord<String, byte[]>> consume(String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    List<ConsumerRecord<String, byte[]>> all = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p)) {
      List<TopicPartition> parts =
          c.partitionsFor(topic).stream()
              .map(i -> new TopicPartition(topic, i.partition()))
              .toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      while (end.entrySet().stream().anyMatch(e -> c.position(e.getKey()) < e.getValue())) {
        c.poll(Duration.ofMillis(200)).forEach(all::add);
      }
    }
    return all;
  }
}
