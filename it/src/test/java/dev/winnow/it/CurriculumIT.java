package dev.winnow.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.winnow.ingest.Document;
import dev.winnow.ingest.serde.DocumentJson;
import dev.winnow.jobs.common.InjectedFailure;
import dev.winnow.jobs.curriculum.CurriculumJob;
import dev.winnow.jobs.curriculum.CurriculumJobConfig;
import dev.winnow.jobs.curriculum.CurriculumSerializer;
import dev.winnow.jobs.curriculum.CurriculumSummary;
import dev.winnow.jobs.demo.EmbeddedKafkaBroker;
import dev.winnow.jobs.kafka.DeadLetterSerializer;
import dev.winnow.jobs.kafka.TopicReader;
import dev.winnow.selection.curriculum.Competence;
import dev.winnow.selection.curriculum.CurriculumPlanner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
 * The curriculum job end to end over a real KRaft broker and a Flink MiniCluster in batch mode:
 * documents with a perplexity where the curation job writes it, with a plain {@code meta.ppl}, and
 * with none (scored in the job by the bundled proxy-mini), plus malformed records, in a
 * three-partition topic; the ordered curriculum on the output topic and in the shards, the
 * malformed records on the dead-letter topic and in the reject file.
 */
class CurriculumIT {

  @Test
  void ordersATopicIntoMonotoneStagesOnATopicAndShards(@TempDir Path dir) throws Exception {
    List<Document> corpus = new ArrayList<>(SharedCorpora.read("news", 200));
    corpus.addAll(SharedCorpora.read("reviews", 100));
    Random rnd = new Random(5);
    Map<String, Double> given = new HashMap<>(); // id -> perplexity carried in meta
    List<String> unscored = new ArrayList<>();
    List<byte[]> good = new ArrayList<>();
    for (int i = 0; i < corpus.size(); i++) {
      Document d = corpus.get(i);
      Map<String, Object> meta = new LinkedHashMap<>(d.meta());
      if (i % 10
          == 0) { // 30 without a perplexity: the job scores them (texts cut short to keep it quick)
        d =
            new Document(
                d.id(),
                d.text().substring(0, Math.min(300, d.text().length())),
                d.source(),
                Map.of());
        meta.clear();
        meta.put(
            "winnow",
            Map.of("kept_by", "curation-it")); // an earlier annotation that must survive scoring
        unscored.add(d.id());
      } else {
        double ppl =
            Math.round((20 + rnd.nextDouble() * 400) * 4) / 4.0; // quarter steps: ties happen
        given.put(d.id(), ppl);
        if (i % 2 == 0) {
          meta.put("winnow", Map.of("score", Map.of("model", "proxy-mini", "ppl", ppl)));
        } else {
          meta.put("ppl", ppl);
        }
      }
      good.add(DocumentJson.toJson(d.withMeta(meta)).getBytes(StandardCharsets.UTF_8));
    }
    List<byte[]> broken =
        List.of(
            "{\"id\": \"no-text\"}".getBytes(StandardCharsets.UTF_8),
            "{\"text\": \"unterminated".getBytes(StandardCharsets.UTF_8),
            new byte[] {'{', '"', 'i', 'd', '"', ':', '"', (byte) 0xfe, '"', '}'});

    try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
      String bootstrap = kafka.bootstrapServers();
      kafka.createTopics(3, "curated");
      Properties p = new Properties();
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
      p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
      try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
        for (int i = 0; i < good.size(); i++) {
          producer.send(new ProducerRecord<>("curated", i % 3, null, good.get(i)));
          if (i % 100 == 50) {
            producer.send(new ProducerRecord<>("curated", i % 3, null, broken.get(i / 100)));
          }
        }
      }

      CurriculumJobConfig cfg = new CurriculumJobConfig();
      cfg.kafka.bootstrap = bootstrap;
      cfg.inputTopic = "curated";
      cfg.outputTopic = "curriculum";
      cfg.deadletterTopic = "curriculum-deadletter";
      cfg.outputDir = dir.resolve("shards").toString();
      cfg.curriculum.competence = Competence.SQRT;
      cfg.curriculum.c0 = 0.1;
      cfg.curriculum.stages = 4;
      cfg.shardSize = 50;
      cfg.parallelism = 2;
      cfg.score.threads = 2;
      // the ordered pass fails once with shards and the output transaction half written; the
      // restart must still
      // give every record exactly once, in order, and shards equal to the topic
      cfg.injectFailureAfterRecords = 120;
      int failuresBefore = InjectedFailure.triggered();
      CurriculumSummary s =
          CurriculumJob.run(
              cfg, StreamExecutionEnvironment.getExecutionEnvironment(CurriculumJob.flinkConfig()));
      assertEquals(
          failuresBefore + 1, InjectedFailure.triggered(), "the injected failure fired once");
      assertEquals(good.size(), s.documents());
      assertEquals(broken.size(), s.deadLetters());

      // the topic: every good record exactly once, in rank order on one partition, stage and rank
      // in headers
      List<JsonNode> out = new ArrayList<>();
      TopicReader.forEach(
          bootstrap,
          "curriculum",
          r -> {
            assertEquals(0, r.partition());
            JsonNode j = parse(r.value());
            JsonNode cur = j.path("meta").path("curriculum");
            assertEquals(
                cur.path("stage").asText(),
                header(r.headers().lastHeader(CurriculumSerializer.STAGE_HEADER).value()));
            assertEquals(
                cur.path("rank").asText(),
                header(r.headers().lastHeader(CurriculumSerializer.RANK_HEADER).value()));
            assertEquals(j.path("id").asText(), new String(r.key(), StandardCharsets.UTF_8));
            out.add(j);
          });
      assertEquals(good.size(), out.size());
      assertEquals(
          corpus.size(),
          out.stream().map(j -> j.path("id").asText()).distinct().count(),
          "no document twice");
      double[] difficulty = new double[out.size()];
      for (int r = 0; r < out.size(); r++) {
        JsonNode j = out.get(r);
        JsonNode cur = j.path("meta").path("curriculum");
        assertEquals(r, cur.path("rank").asLong(), "ranks 0..N-1 in topic order");
        assertEquals("perplexity", cur.path("measure").asText());
        difficulty[r] = cur.path("difficulty").asDouble();
        String id = j.path("id").asText();
        if (given.containsKey(id)) {
          assertEquals(
              given.get(id),
              difficulty[r],
              0.0,
              "the perplexity in meta is the difficulty of " + id);
        } else {
          assertTrue(unscored.contains(id), id);
          JsonNode w = j.path("meta").path("winnow");
          assertEquals(
              "proxy-mini", w.path("score").path("model").asText(), "scored in the job: " + id);
          assertEquals(w.path("score").path("ppl").asDouble(), difficulty[r], 0.0);
          assertTrue(difficulty[r] > 1, "a real perplexity: " + difficulty[r]);
          assertEquals(
              "curation-it", w.path("kept_by").asText(), "earlier annotations survive scoring");
        }
        if (r > 0) {
          double prev = difficulty[r - 1];
          assertTrue(prev <= difficulty[r], "rank " + r + " is no easier than rank " + (r - 1));
          if (prev == difficulty[r]) {
            assertTrue(
                out.get(r - 1).path("id").asText().compareTo(id) < 0, "ties by id at rank " + r);
          }
        }
      }
      // stages: monotone in difficulty, sized as CurriculumPlanner sizes them on the same
      // difficulties
      int[] expected = new int[4];
      new CurriculumPlanner(cfg.curriculum).plan(difficulty).forEach(x -> expected[x.stage()]++);
      int[] got = new int[4];
      double[] min = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
      double[] max = new double[4];
      for (int r = 0; r < out.size(); r++) {
        int st = out.get(r).path("meta").path("curriculum").path("stage").asInt();
        got[st]++;
        min[st] = Math.min(min[st], difficulty[r]);
        max[st] = Math.max(max[st], difficulty[r]);
      }
      assertEquals(java.util.Arrays.toString(expected), java.util.Arrays.toString(got));
      for (int st = 0; st + 1 < 4; st++) {
        assertTrue(
            max[st] <= min[st + 1],
            "stage " + st + " max " + max[st] + " <= stage " + (st + 1) + " min " + min[st + 1]);
      }

      // the shards hold the same records in the same order, and the manifest agrees
      Path shards = dir.resolve("shards");
      JsonNode manifest = DocumentJson.mapper().readTree(shards.resolve("manifest.json").toFile());
      assertEquals(good.size(), manifest.path("documents").asInt());
      List<String> fromShards = new ArrayList<>();
      for (JsonNode shard : manifest.path("shards")) {
        for (String line : Files.readAllLines(shards.resolve(shard.asText()))) {
          fromShards.add(DocumentJson.mapper().readTree(line).toString());
        }
      }
      assertEquals(out.stream().map(JsonNode::toString).toList(), fromShards);
      for (int st = 0; st < 4; st++) {
        assertEquals(expected[st], manifest.path("stages").get(st).path("documents").asInt());
      }

      // malformed records: on the dead-letter topic byte for byte with a reason, and in the reject
      // file
      List<String> deadValues = new ArrayList<>();
      TopicReader.forEach(
          bootstrap,
          "curriculum-deadletter",
          r -> {
            deadValues.add(Base64.getEncoder().encodeToString(r.value()));
            String reason =
                header(r.headers().lastHeader(DeadLetterSerializer.ERROR_HEADER).value());
            assertTrue(reason.startsWith("undecodable record: "), reason);
          });
      List<String> expectedDead =
          new ArrayList<>(broken.stream().map(b -> Base64.getEncoder().encodeToString(b)).toList());
      java.util.Collections.sort(expectedDead);
      java.util.Collections.sort(deadValues);
      assertEquals(expectedDead, deadValues);
      List<String> rejects = Files.readAllLines(shards.resolve("rejects.jsonl"));
      assertEquals(broken.size(), rejects.size());
      for (String line : rejects) {
        JsonNode j = DocumentJson.mapper().readTree(line);
        assertTrue(j.path("location").asText().matches("curated-[0-2]@\\d+"), line);
        assertTrue(j.path("reason").asText().startsWith("undecodable record: "), line);
      }
    }
  }

  private static JsonNode parse(byte[] b) {
    try {
      return DocumentJson.mapper().readTree(b);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String header(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
