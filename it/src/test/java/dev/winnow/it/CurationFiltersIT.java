package dev.winnow.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.winnow.ingest.Document;
import dev.winnow.ingest.serde.DocumentJson;
import dev.winnow.jobs.common.DocRecord;
import dev.winnow.jobs.common.RejectedRecord;
import dev.winnow.jobs.curation.CurationConfig;
import dev.winnow.jobs.curation.filter.DocumentFilter;
import dev.winnow.jobs.curation.filter.FilterStages;
import dev.winnow.jobs.demo.EmbeddedKafkaBroker;
import dev.winnow.jobs.demo.OutputTally;
import dev.winnow.jobs.kafka.TopicReader;
import dev.winnow.selection.normalize.TextNormalizer;
import dev.winnow.selection.quality.FilterOutcome;
import dev.winnow.selection.quality.FineWebQualityFilter;
import dev.winnow.selection.quality.QualityConfig;
import dev.winnow.selection.quality.QualityPipeline;
import dev.winnow.selection.quality.Rejection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17's filter stages in the curation job over a real broker and a Flink MiniCluster, all on
 * at once (url → language → quality → words → decontaminate → pii → dedup), with a failure injected
 * mid-run: every document leaves exactly once, each planted case is dropped by its rule (naming its
 * match) or kept redacted, and every kept document carries its language. The first test runs the
 * quality filters off, so that every planted case reaches its stage; the second runs every stage,
 * the quality filters with preset {@code datatrove-0.10} in FineWeb's order and both dedup stages
 * included, and checks each decision against the same stages run one after another outside Flink.
 */
class CurationFiltersIT {

  @Test
  void filterStagesDropAndRedactExactlyOnceAcrossAFailure(@TempDir Path dir) throws Exception {
    List<Document> news = SharedCorpora.read("news", 200);
    List<Document> docs = new ArrayList<>();
    Map<String, String> expectedRule = new HashMap<>();
    Map<String, String> expectedItem = new HashMap<>();
    List<String> piiIds = new ArrayList<>();
    List<String> benchmark = new ArrayList<>();
    for (int i = 0; i < 140; i++) {
      Document d = news.get(i);
      String id = d.id();
      String text = d.text();
      Map<String, Object> meta = new HashMap<>(d.meta());
      meta.put("url", "https://news.example.org/story/" + i);
      if (i < 6) {
        meta.put("url", "https://www.spam.test/story/" + i);
        expectedRule.put(id, "url_domain");
      } else if (i < 12) {
        text = text + "\nWhat a darn shame.";
        expectedRule.put(id, "blocked_words");
      } else if (i < 22) {
        String question =
            "In the benchmark question number "
                + i
                + " which river flows through the city that hosted the games in question "
                + i
                + "?";
        benchmark.add("{\"id\": \"bq" + i + "\", \"question\": \"" + question + "\"}");
        // re-cased and re-wrapped inside the document
        text = text + "\n" + question.toUpperCase().replace(" which ", "\nwhich ");
        expectedRule.put(id, "contaminated");
        expectedItem.put(id, "bq" + i);
      } else if (i < 34) {
        text = text + "\nContact jane.doe" + i + "@example.com or pay with 4111 1111 1111 1111.";
        piiIds.add(id);
      }
      docs.add(new Document(id, text, d.source(), meta));
    }
    // translations: the language stage keeps English only
    List<Document> udhr = SharedCorpora.read("udhr", 300);
    for (Document u : udhr) {
      String src = u.source();
      if (src.contains("German_Deutsch")
          || src.contains("French_Francais")
          || src.contains("Russian-UTF8")
          || src.contains("Spanish-Latin1")) {
        String t = u.text().replace("\uFEFF", "").replaceAll("\\s+", " ");
        for (int k = 0; k < 5; k++) {
          String id = u.id() + "-" + k;
          docs.add(
              new Document(
                  id,
                  t.substring(1000 + 700 * k, 1600 + 700 * k),
                  "udhr",
                  Map.of("url", "https://un.example.org/" + id)));
          expectedRule.put(id, "language");
        }
      }
    }
    Collections.shuffle(docs, new Random(17));
    Path input = dir.resolve("input.jsonl");
    List<String> lines = new ArrayList<>();
    for (Document d : docs) {
      lines.add(DocumentJson.toJson(d));
    }
    Files.write(input, lines, StandardCharsets.UTF_8);
    Path bench = Files.write(dir.resolve("bench.jsonl"), benchmark);
    Path domains = Files.write(dir.resolve("domains.txt"), List.of("spam.test"));
    Path badWords = Files.write(dir.resolve("bad.txt"), List.of("darn"));

    try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
      CurationConfig cfg = BoundedRun.config(kafka.bootstrapServers(), "flt", 300, 40);
      BoundedRun.qualityFiltersOff(cfg);
      // news articles that are near-duplicates of each other must not blur the count of kept ones
      cfg.nearDedup.enabled = false;
      cfg.url.enabled = true;
      cfg.url.domainsFile = domains.toString();
      cfg.language.enabled = true;
      cfg.language.languages = List.of("en");
      cfg.words.enabled = true;
      cfg.words.file = badWords.toString();
      cfg.decontaminate.enabled = true;
      cfg.decontaminate.benchmarks = List.of(bench.toString());
      cfg.decontaminate.fields = List.of("question");
      cfg.pii.enabled = true;
      cfg.validate();
      BoundedRun.publish(cfg, input, dir);

      var tally = BoundedRun.runExactlyOnce(cfg, docs.size());
      assertEquals(0, tally.deadLettered, "no stage threw");

      Map<String, JsonNode> curated = BoundedRun.curated(cfg);
      Map<String, JsonNode> rejected = new HashMap<>();
      TopicReader.forEach(
          cfg.kafka.bootstrap,
          cfg.topics.rejected,
          r -> {
            try {
              JsonNode doc = DocumentJson.mapper().readTree(r.value());
              rejected.put(doc.get("id").asText(), doc.get("rejection"));
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
      for (var e : expectedRule.entrySet()) {
        JsonNode rej = rejected.get(e.getKey());
        assertTrue(rej != null, e.getKey() + " should be rejected by " + e.getValue());
        assertEquals(e.getValue(), rej.path("rule").asText(), e.getKey() + ": " + rej);
      }
      for (var e : expectedItem.entrySet()) {
        JsonNode rej = rejected.get(e.getKey());
        assertEquals(e.getValue(), rej.path("item").asText(), e.getKey() + ": " + rej);
        assertEquals("bench.jsonl", rej.path("benchmark").asText());
      }
      assertEquals("spam.test", rejected.get(news.get(0).id()).path("value").asText());
      assertEquals(
          docs.size() - expectedRule.size(),
          curated.size(),
          "everything else is kept: " + rejected);
      for (JsonNode d : curated.values()) {
        JsonNode w = d.path("meta").path("winnow");
        assertEquals("en", w.path("language").path("lang").asText(), d.get("id").asText());
        assertTrue(w.path("pii").isObject(), d.get("id").asText());
        String text = d.get("text").asText();
        assertFalse(text.contains("@example.com") || text.contains("4111 1111"), text);
      }
      for (String id : piiIds) {
        JsonNode d = curated.get(id);
        assertTrue(d.get("text").asText().contains("Contact <EMAIL> or pay with <CARD>."), id);
        assertEquals(1, d.path("meta").path("winnow").path("pii").path("email").asInt(), id);
        assertEquals(1, d.path("meta").path("winnow").path("pii").path("card").asInt(), id);
      }
    }
  }

  /**
   * Every stage at once: url, language, normalize, the four quality filters with preset {@code
   * datatrove-0.10} and {@code order: fineweb}, words, decontaminate, pii, exact and near dedup,
   * with a failure injected and an undecodable record. Each document's fate is compared with the
   * same stage classes run one after another in this test (the job may only add dedup rejections on
   * top, which depend on the order the partitions are read in), so a quality rejection must carry
   * the reference's filter, rule, value and threshold.
   */
  @Test
  void everyStageRunsOnceWithTheDatatrove010PresetInFineWebOrderAcrossAFailure(@TempDir Path dir)
      throws Exception {
    List<String> benchmark = new ArrayList<>();
    List<String> questions = new ArrayList<>();
    for (int j = 0; j < 12; j++) {
      String q =
          "In the benchmark question number "
              + j
              + " which river flows through the city that hosted the games in question "
              + j
              + "?";
      questions.add(q);
      benchmark.add("{\"id\": \"bq" + j + "\", \"question\": \"" + q + "\"}");
    }
    Path bench = Files.write(dir.resolve("bench.jsonl"), benchmark);
    Path domains = Files.write(dir.resolve("domains.txt"), List.of("spam.test"));
    Path badWords = Files.write(dir.resolve("bad.txt"), List.of("darn"));

    try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
      CurationConfig cfg = BoundedRun.config(kafka.bootstrapServers(), "all", 300, 60);
      cfg.quality.preset = "datatrove-0.10";
      cfg.quality.order = "fineweb";
      cfg.url.enabled = true;
      cfg.url.domainsFile = domains.toString();
      cfg.language.enabled = true;
      cfg.language.languages = List.of("en");
      cfg.words.enabled = true;
      cfg.words.file = badWords.toString();
      cfg.decontaminate.enabled = true;
      cfg.decontaminate.benchmarks = List.of(bench.toString());
      cfg.decontaminate.fields = List.of("question");
      cfg.pii.enabled = true;
      cfg.validate();
      assertTrue(cfg.normalize.enabled && cfg.exactDedup.enabled && cfg.nearDedup.enabled);
      assertTrue(
          cfg.quality.gopherQuality.enabled
              && cfg.quality.gopherRepetition.enabled
              && cfg.quality.c4.enabled
              && cfg.quality.fineWeb.enabled);

      ReferenceRun ref = new ReferenceRun(cfg, cfg.quality);
      ReferenceRun defaultOrder = new ReferenceRun(cfg, withOrder(cfg.quality, "default"));
      ReferenceRun preset2024 = new ReferenceRun(cfg, withPreset(cfg.quality, "datatrove-2024"));

      // news articles with planted cases, each kept only where the reference run gives it the
      // planted outcome (a planted line may itself be removed by C4, or the article fail quality)
      List<Document> news = SharedCorpora.read("news", 400);
      List<Document> docs = new ArrayList<>();
      Map<String, String> planted = new HashMap<>(); // id -> expected rule, or "pii"
      Map<String, String> exactCopies = new HashMap<>(); // copy id -> original id
      Map<String, String> nearCopies = new HashMap<>(); // variant id -> original id
      // the three FineWeb cases pass repetition, Gopher quality and C4 and fail only FineWeb (its
      // "empty" is unreachable here: C4 keeps at least one non-blank line or rejects the document)
      String[] kinds = {
        "url_domain",
        "blocked_words",
        "contaminated",
        "pii",
        "exact",
        "near",
        "line_punct_ratio",
        "short_line_ratio",
        "char_dup_ratio"
      };
      int[] quota = {6, 6, 8, 8, 8, 8, 2, 2, 2};
      int k = 0;
      for (int i = 0; i < news.size() && (docs.size() < 140 || k < kinds.length); i++) {
        Document d = news.get(i);
        Map<String, Object> meta = new HashMap<>(d.meta());
        meta.put("url", "https://news.example.org/story/" + i);
        Document base = new Document(d.id(), d.text(), d.source(), meta);
        docs.add(base);
        if (k >= kinds.length || ref.decide(base) != null) {
          continue;
        }
        Document p;
        String kind = kinds[k];
        switch (kind) {
          case "url_domain" -> {
            Map<String, Object> m = new HashMap<>(meta);
            m.put("url", "https://www.spam.test/story/" + i);
            p = new Document(d.id() + "-spam", d.text(), d.source(), m);
          }
          case "blocked_words" ->
              p = new Document(d.id() + "-bad", d.text() + "\nWhat a darn shame.", "news", meta);
          case "contaminated" -> {
            String q = questions.get(quota[k] - 1).toUpperCase().replace(" WHICH ", "\nwhich ");
            p = new Document(d.id() + "-bq", d.text() + "\n" + q, "news", meta);
          }
          case "pii" ->
              p =
                  new Document(
                      d.id() + "-pii",
                      d.text()
                          + "\nContact jane.doe"
                          + i
                          + "@example.com or pay with "
                          + "4111 1111 1111 1111.",
                      "news",
                      meta);
          case "exact" ->
              p =
                  new Document(
                      d.id() + "-copy",
                      d.text().replace("\n", "\r\n").replace(" ", "  ") + "\n\n  ",
                      "news",
                      meta);
          case "line_punct_ratio" -> {
            // one sentence a line, every one but the last in quotes: C4 keeps a line ending in a
            // quote, datatrove 0.10's FineWeb does not count it as terminal punctuation
            String[] sentences = d.text().strip().split("(?<=[.!?])\\s+");
            StringBuilder b = new StringBuilder();
            for (int j = 0; j < sentences.length - 1; j++) {
              b.append('"').append(sentences[j]).append("\"\n");
            }
            p =
                new Document(
                    d.id() + "-quoted",
                    b.append(sentences[sentences.length - 1]).toString(),
                    "news",
                    meta);
          }
          case "short_line_ratio" -> {
            // the article's words (letters only) packed into lines of at most 28 characters, each a
            // short sentence: a period per line alone would push Gopher's alphabetic-word ratio
            // under 0.8 if the lines were shorter
            StringBuilder b = new StringBuilder();
            StringBuilder line = new StringBuilder();
            for (String w : d.text().split("\\s+")) {
              String word = w.replaceAll("[^\\p{L}]+", "");
              if (word.isEmpty()) {
                continue;
              }
              if (line.length() > 0 && line.length() + 1 + word.length() > 27) {
                b.append(line).append(".\n");
                line.setLength(0);
              }
              line.append(line.length() > 0 ? " " : "").append(word);
            }
            p =
                new Document(
                    d.id() + "-short", b.append(line).append('.').toString(), "news", meta);
          }
          case "char_dup_ratio" -> {
            String line =
                "The chair read statement number " + i + " twice at the end of the meeting.";
            p =
                new Document(
                    d.id() + "-dupline", d.text() + "\n" + line + "\n" + line, "news", meta);
          }
          default -> {
            String[] words = d.text().split(" ");
            if (words.length < 150) {
              continue;
            }
            words[words.length / 2] = "indeed";
            p =
                new Document(
                    d.id() + "-near", "Breaking: " + String.join(" ", words), "news", meta);
          }
        }
        RejectedRecord r = ref.decide(p);
        boolean asPlanned =
            switch (kind) {
              case "pii" ->
                  r == null && ref.lastText.contains("Contact <EMAIL> or pay with <CARD>.");
              case "exact", "near" -> r == null;
              case "line_punct_ratio", "short_line_ratio", "char_dup_ratio" ->
                  r != null && FineWebQualityFilter.NAME.equals(r.filter) && kind.equals(r.rule);
              default -> r != null && kind.equals(r.rule);
            };
        if (!asPlanned) {
          continue;
        }
        docs.add(p);
        if (kind.equals("exact")) {
          exactCopies.put(p.id(), d.id());
        } else if (kind.equals("near")) {
          nearCopies.put(p.id(), d.id());
        } else {
          planted.put(p.id(), kind);
        }
        if (--quota[k] == 0) {
          k++;
        }
      }
      assertEquals(kinds.length, k, "every kind of case planted: " + planted);
      // web pages: most fail a quality rule (and some the language stage)
      docs.addAll(SharedCorpora.read("web", 150));
      // translations: the language stage keeps English only
      for (Document u : SharedCorpora.read("udhr", 300)) {
        String src = u.source();
        if (src.contains("German_Deutsch") || src.contains("French_Francais")) {
          String t = u.text().replace("\uFEFF", "").replaceAll("\\s+", " ");
          for (int j = 0; j < 4; j++) {
            String id = u.id() + "-" + j;
            docs.add(
                new Document(
                    id,
                    t.substring(1000 + 700 * j, 1600 + 700 * j),
                    "udhr",
                    Map.of("url", "https://un.example.org/" + id)));
            planted.put(id, "language");
          }
        }
      }
      Collections.shuffle(docs, new Random(1710));
      Path input = dir.resolve("input.jsonl");
      List<String> lines = new ArrayList<>();
      for (Document d : docs) {
        lines.add(DocumentJson.toJson(d));
      }
      Files.write(input, lines, StandardCharsets.UTF_8);
      BoundedRun.publish(cfg, input, dir);
      Properties pp = new Properties();
      pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cfg.kafka.bootstrap);
      pp.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
      pp.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
      try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(pp)) {
        producer
            .send(
                new ProducerRecord<>(
                    cfg.topics.input, "{\"text\": \"unterminated".getBytes(StandardCharsets.UTF_8)))
            .get();
      }

      OutputTally t = BoundedRun.runExactlyOnce(cfg, docs.size() + 1);
      assertEquals(1, t.deadLettered, "the undecodable record, and nothing else");
      Map<String, JsonNode> curated = BoundedRun.curated(cfg);

      Map<String, Long> qualityRules = new TreeMap<>();
      int orderDiffers = 0;
      int presetDiffers = 0;
      Map<String, RejectedRecord> expected = new HashMap<>();
      for (Document d : docs) {
        RejectedRecord want = ref.decide(d);
        expected.put(d.id(), want);
        JsonNode got = t.rejections.get(d.id());
        if (want == null) {
          assertTrue(
              curated.containsKey(d.id())
                  || (got != null
                      && (got.path("stage").asText().equals("exact_dedup")
                          || got.path("stage").asText().equals("near_dedup"))),
              d.id() + " passes every filter, so it is kept or a duplicate: " + got);
          continue;
        }
        assertTrue(got != null, d.id() + " should be rejected by " + want.rule);
        assertEquals(want.stage, got.path("stage").asText(), d.id() + ": " + got);
        assertEquals(want.rule, got.path("rule").asText(), d.id() + ": " + got);
        if (want.stage.equals("quality")) {
          assertTrue(
              got.hasNonNull("filter")
                  && got.hasNonNull("rule")
                  && got.path("value").isNumber()
                  && got.hasNonNull("threshold"),
              d.id() + ": a quality rejection carries {filter, rule, value, threshold}: " + got);
          assertEquals(want.filter, got.path("filter").asText(), d.id() + ": " + got);
          assertEquals(want.value, got.path("value").asDouble(), 1e-12, d.id() + ": " + got);
          assertEquals(want.threshold, got.path("threshold").asText(), d.id() + ": " + got);
          qualityRules.merge(want.filter + "/" + want.rule, 1L, Long::sum);
          RejectedRecord other = defaultOrder.decide(d);
          if (other == null || !want.rule.equals(other.rule)) {
            orderDiffers++;
          }
        }
        RejectedRecord old = preset2024.decide(d);
        if ((old == null) != (want == null) || (old != null && !old.rule.equals(want.rule))) {
          presetDiffers++;
        }
      }
      for (var e : planted.entrySet()) {
        if (!e.getValue().equals("pii")) {
          assertEquals(
              e.getValue(), t.rejections.get(e.getKey()).path("rule").asText(), e.getKey());
        }
      }
      // the planted FineWeb cases: rejected by FineWeb with datatrove 0.10's strict bounds, each at
      // a value on the rejecting side of its default threshold
      Map<String, String> fineWebBounds =
          Map.of(
              "line_punct_ratio", "< 0.12",
              "short_line_ratio", "> 0.67",
              "char_dup_ratio", "> 0.01");
      Map<String, Integer> fineWebPlanted = new TreeMap<>();
      for (var e : planted.entrySet()) {
        String bound = fineWebBounds.get(e.getValue());
        if (bound == null) {
          continue;
        }
        JsonNode got = t.rejections.get(e.getKey());
        assertEquals("quality", got.path("stage").asText(), e.getKey() + ": " + got);
        assertEquals(
            FineWebQualityFilter.NAME, got.path("filter").asText(), e.getKey() + ": " + got);
        assertEquals(bound, got.path("threshold").asText(), e.getKey() + ": " + got);
        double value = got.path("value").asDouble();
        assertEquals(expected.get(e.getKey()).value, value, 1e-12, e.getKey() + ": " + got);
        double limit = Double.parseDouble(bound.substring(2));
        assertTrue(bound.startsWith("<") ? value < limit : value > limit, e.getKey() + ": " + got);
        fineWebPlanted.merge(e.getValue(), 1, Integer::sum);
      }
      assertEquals(
          Map.of("char_dup_ratio", 2, "line_punct_ratio", 2, "short_line_ratio", 2),
          fineWebPlanted,
          "two planted documents per FineWeb rule");
      assertTrue(
          qualityRules.keySet().stream().map(r -> r.split("/")[0]).distinct().count() >= 3,
          "rejections from at least three quality filters: " + qualityRules);
      assertTrue(
          orderDiffers > 0,
          "some document breaks a Gopher quality and a repetition rule, so FineWeb's order shows");
      assertTrue(
          presetDiffers > 0,
          "some document is decided differently by datatrove-2024, so the preset shows");

      // every planted exact copy: exactly one of the pair is an exact duplicate naming the other
      for (var e : exactCopies.entrySet()) {
        JsonNode rc = t.rejections.get(e.getKey());
        JsonNode ro = t.rejections.get(e.getValue());
        boolean copyIsDup = rc != null && "exact_duplicate".equals(rc.path("rule").asText());
        boolean originalIsDup = ro != null && "exact_duplicate".equals(ro.path("rule").asText());
        assertTrue(copyIsDup ^ originalIsDup, "one of " + e + " is an exact duplicate");
        assertEquals(
            copyIsDup ? e.getValue() : e.getKey(),
            (copyIsDup ? rc : ro).path("duplicate_of").asText(),
            "names its twin");
      }
      // every planted near copy (one word changed, a header word): one of the pair is a near
      // duplicate
      for (var e : nearCopies.entrySet()) {
        JsonNode rv = t.rejections.get(e.getKey());
        JsonNode ro = t.rejections.get(e.getValue());
        assertTrue(
            (rv != null && "near_duplicate".equals(rv.path("rule").asText()))
                || (ro != null && "near_duplicate".equals(ro.path("rule").asText())),
            "one of " + e + " is a near duplicate: " + rv + " / " + ro);
      }
      // kept documents carry their language and PII counts, redacted
      for (JsonNode d : curated.values()) {
        JsonNode w = d.path("meta").path("winnow");
        assertEquals("en", w.path("language").path("lang").asText(), d.get("id").asText());
        assertTrue(w.path("pii").isObject(), d.get("id").asText());
        assertFalse(d.get("text").asText().contains("@example.com"), d.get("id").asText());
      }
      for (var e : planted.entrySet()) {
        if (e.getValue().equals("pii")) {
          JsonNode d = curated.get(e.getKey());
          JsonNode rej = t.rejections.get(e.getKey());
          assertTrue(
              d != null || (rej != null && rej.path("stage").asText().endsWith("_dedup")),
              e.getKey() + " kept, redacted: " + rej);
          if (d != null) {
            assertTrue(d.get("text").asText().contains("Contact <EMAIL> or pay with <CARD>."));
            assertEquals(1, d.path("meta").path("winnow").path("pii").path("card").asInt());
          }
        }
      }
      System.out.printf(
          "CurationFiltersIT (all stages): %d in, %d kept, %d rejected %s, %d dead-lettered;"
              + " quality %s; first reason differs from default order on %d, decision or reason"
              + " from datatrove-2024 on %d%n",
          docs.size() + 1,
          t.curated,
          t.rejected,
          t.rejectedPerRule,
          t.deadLettered,
          qualityRules,
          orderDiffers,
          presetDiffers);
    }
  }

  private static QualityConfig withOrder(QualityConfig q, String order) {
    QualityConfig c = DocumentJson.mapper().convertValue(q, QualityConfig.class);
    c.order = order;
    c.validate("quality");
    return c;
  }

  private static QualityConfig withPreset(QualityConfig q, String preset) {
    QualityConfig c = DocumentJson.mapper().convertValue(q, QualityConfig.class);
    c.preset = preset;
    c.validate("quality");
    return c;
  }

  /**
   * The job's filter stages (not dedup) run one after another on one document outside Flink, from
   * the same classes and config: the first rejection, or null when the document reaches dedup.
   */
  private static final class ReferenceRun {
    private final List<DocumentFilter> before = new ArrayList<>();
    private final List<DocumentFilter> after = new ArrayList<>();
    private final TextNormalizer normalizer = new TextNormalizer();
    private final QualityPipeline quality;
    private final boolean normalize;

    /** The text the last kept document reached dedup with. */
    String lastText;

    ReferenceRun(CurationConfig cfg, QualityConfig q) {
      FilterStages.beforeQuality(cfg.language, cfg.url).forEach(s -> before.add(s.filter()));
      FilterStages.afterQuality(cfg.words, cfg.decontaminate, cfg.pii)
          .forEach(s -> after.add(s.filter()));
      before.forEach(DocumentFilter::open);
      after.forEach(DocumentFilter::open);
      quality = new QualityPipeline(q);
      normalize = cfg.normalize.enabled;
    }

    RejectedRecord decide(Document doc) {
      DocRecord d = DocRecord.of(doc, "reference");
      for (DocumentFilter f : before) {
        RejectedRecord r = f.apply(d);
        if (r != null) {
          return r;
        }
      }
      if (normalize) {
        d.text = normalizer.normalize(d.text);
      }
      FilterOutcome o = quality.apply(d.text);
      if (o instanceof FilterOutcome.Rejected rej) {
        Rejection r = rej.rejection();
        return RejectedRecord.of(
            d, "quality", r.filter(), r.rule(), r.value(), r.threshold(), null);
      }
      d.text = o.text();
      for (DocumentFilter f : after) {
        RejectedRecord r = f.apply(d);
        if (r != null) {
          return r;
        }
      }
      lastText = d.text;
      return null;
    }
  }
}
