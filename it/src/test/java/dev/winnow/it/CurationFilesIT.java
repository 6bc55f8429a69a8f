package dev.winnow.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.winnow.ingest.Document;
import dev.winnow.ingest.io.DocumentReader;
import dev.winnow.ingest.io.InputEntry;
import dev.winnow.ingest.io.ParquetFixtures;
import dev.winnow.ingest.io.ReadOptions;
import dev.winnow.ingest.io.WarcFixtures;
import dev.winnow.ingest.serde.DocumentJson;
import dev.winnow.jobs.common.InjectedFailure;
import dev.winnow.jobs.curation.CurationConfig;
import dev.winnow.jobs.curation.files.FileCurationJob;
import dev.winnow.jobs.curation.files.FileCurationSummary;
import dev.winnow.jobs.curation.files.OutputDirectory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.parquet.example.data.Group;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The curation job on files (batch execution mode, no Kafka) end to end: a WARC file of real news
 * articles as HTML pages, a Parquet file of reviews and a JSONL folder of web documents (with exact
 * copies of Parquet rows, a malformed line and a text file), one failure injected; every entry read
 * comes out exactly once in {@code curated/}, {@code rejected/} or {@code deadletter/}, the copies
 * are rejected as duplicates of the Parquet rows that come first in the input, and a second run
 * into the same directory is refused without {@code --overwrite}.
 */
class CurationFilesIT {
  @Test
  void warcParquetAndJsonlCurateExactlyOnceAcrossAFailure(@TempDir Path dir) throws Exception {
    // 1. a WARC of HTML pages built from real news articles, plus three records that are no page
    List<Document> news = SharedCorpora.read("news", 250);
    Path warc = dir.resolve("crawl.warc.gz");
    Map<String, Document> pageOf = new HashMap<>(); // record id -> the article
    try (WarcFixtures w = new WarcFixtures(warc, true)) {
      w.warcinfo();
      for (int i = 0; i < news.size(); i++) {
        Document d = news.get(i);
        List<String> paragraphs =
            Arrays.stream(d.text().split("\n+"))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
        String title = String.join(" ", Arrays.copyOf(d.text().split("\\s+"), 6));
        w.request("https://news.example/" + i)
            .html(
                i,
                "https://news.example/" + i,
                WarcFixtures.page(title, paragraphs),
                StandardCharsets.UTF_8,
                true);
        pageOf.put(WarcFixtures.uuid(i).toString(), d);
        if (i == 40) {
          w.response(9001, "https://news.example/logo.png", "image/png", new byte[] {1, 2, 3});
        } else if (i == 80) {
          w.garbage("WARC/1.1\r\nWARC-Type: response\r\nContent-Length: many\r\n\r\n");
        } else if (i == 120) {
          w.response(
              9002, "https://news.example/gone", 404, "text/html", "<p>gone</p>".getBytes(), null);
        }
      }
    }

    // 2. a Parquet file of real reviews, two rows without text
    List<Document> web = SharedCorpora.read("reviews", 400);
    Path parquet = dir.resolve("web.parquet");
    ParquetFixtures.write(
        parquet,
        ParquetFixtures.SCHEMA,
        64 * 1024,
        rows -> {
          for (int i = 0; i < web.size(); i++) {
            Group g = rows.newRow();
            g.add("id", web.get(i).id());
            if (i != 33 && i != 66) {
              g.add("text", web.get(i).text());
            }
            g.add("url", "https://web.example/" + i);
            g.add("token_count", (long) web.get(i).text().length() / 4);
            rows.add(g);
          }
        });

    // 3. a JSONL folder: short web documents, exact copies of 20 Parquet rows, a malformed line, a
    // text file
    Path folder = Files.createDirectories(dir.resolve("folder"));
    List<String> lines = new ArrayList<>();
    for (Document d : SharedCorpora.read("web", 200)) {
      lines.add(DocumentJson.toJson(d));
    }
    Map<String, String> copies = new HashMap<>(); // copy id -> the Parquet row it copies
    for (int i = 100; i < 120; i++) {
      Document o = web.get(i);
      Document copy = new Document(o.id() + "-copy", o.text(), "copies", Map.of());
      copies.put(copy.id(), o.id());
      lines.add(DocumentJson.toJson(copy));
    }
    lines.add(57, "{\"id\": \"broken\", \"text\": ");
    Files.write(folder.resolve("reviews.jsonl"), lines, StandardCharsets.UTF_8);
    Files.writeString(
        folder.resolve("note.txt"),
        "A short note that is much too short to be kept by the quality filters.");

    List<Path> inputs = List.of(warc, parquet, folder);
    // what the inputs hold, read here independently of the job
    List<InputEntry> entries = new ArrayList<>();
    try (DocumentReader r = new DocumentReader(inputs, ReadOptions.DEFAULT)) {
      r.forEachRemaining(entries::add);
    }
    Set<String> goodIds = new HashSet<>();
    long bad = 0;
    for (InputEntry e : entries) {
      if (e.ok()) {
        assertTrue(goodIds.add(e.document().id()), "ids are unique in this input");
      } else {
        bad++;
      }
    }
    assertEquals(250 + 3 + 400 + 221 + 1, entries.size());
    assertEquals(6, bad); // image, broken record, 404, two rows without text, the malformed line

    CurationConfig cfg = new CurationConfig();
    cfg.job.parallelism = 2;
    cfg.job.injectFailureAfterRecords = 150;
    cfg.validate();
    Path out = dir.resolve("out");
    int failuresBefore = InjectedFailure.triggered();
    FileCurationSummary s =
        FileCurationJob.run(
            cfg,
            inputs,
            ReadOptions.DEFAULT,
            out,
            false,
            StreamExecutionEnvironment.getExecutionEnvironment(FileCurationJob.flinkConfig(cfg)));
    System.out.println(s.table());
    assertEquals(failuresBefore + 1, InjectedFailure.triggered(), "the failure was injected");

    assertTrue(s.exact(), s::table);
    assertEquals(entries.size(), s.in());
    OutputDirectory o = new OutputDirectory(out);
    Map<String, JsonNode> curated = byId(o.readAll("curated"));
    Map<String, JsonNode> rejected = byId(o.readAll("rejected"));
    List<String> dead = o.readAll("deadletter");
    assertEquals(s.onDisk("curated"), curated.size(), "no document twice in curated/");
    assertEquals(s.onDisk("rejected"), rejected.size(), "no document twice in rejected/");
    Set<String> both = new HashSet<>(curated.keySet());
    both.retainAll(rejected.keySet());
    assertTrue(both.isEmpty(), () -> "kept and rejected: " + both);
    Set<String> outIds = new HashSet<>(curated.keySet());
    outIds.addAll(rejected.keySet());
    assertEquals(goodIds, outIds, "every document once in curated/ or rejected/");
    assertEquals(bad, dead.size());
    String deadText = String.join("\n", dead);
    assertTrue(deadText.contains("not HTML: content type image/png"), deadText);
    assertTrue(deadText.contains("unreadable WARC record"), deadText);
    assertTrue(deadText.contains("HTTP status 404"), deadText);
    assertTrue(deadText.contains("web.parquet:row 34"), deadText);
    assertTrue(deadText.contains("reviews.jsonl:58"), deadText);
    assertTrue(s.onDisk("curated") > 500, s::table);

    // the copies lose to the Parquet rows, which come first in the input, whatever the scheduling:
    // a copy is never kept, and an original is never rejected as a duplicate of its copy
    for (Map.Entry<String, String> c : copies.entrySet()) {
      assertFalse(curated.containsKey(c.getKey()), () -> "copy kept: " + c);
      JsonNode original = rejected.get(c.getValue());
      if (original != null) {
        assertFalse(
            original.path("rejection").path("stage").asText().equals("exact_dedup"),
            () -> "original rejected as a duplicate of its copy: " + original);
        continue; // the original broke a quality rule, and so did its copy
      }
      JsonNode r = rejected.get(c.getKey());
      assertEquals("exact_duplicate", r.path("rejection").path("rule").asText(), r::toString);
      assertEquals(c.getValue(), r.path("rejection").path("duplicate_of").asText(), r::toString);
    }
    long exactDupOfRows =
        copies.keySet().stream()
            .map(rejected::get)
            .filter(r -> r != null && r.path("rejection").has("duplicate_of"))
            .count();
    assertTrue(exactDupOfRows >= 10, () -> "copies rejected as duplicates: " + exactDupOfRows);

    // a kept page is the article's text, without the page's boilerplate
    JsonNode page =
        curated.values().stream()
            .filter(n -> n.path("meta").has("warc_offset"))
            .findFirst()
            .orElseThrow();
    String text = page.path("text").asText();
    Document article = pageOf.get(page.path("id").asText());
    // (C4's line filter downstream drops lines without end punctuation, such as the headline)
    String firstParagraph =
        Arrays.stream(article.text().split("\n+"))
            .map(String::strip)
            .filter(l -> l.length() > 60 && l.endsWith("."))
            .findFirst()
            .orElseThrow();
    assertTrue(text.contains(firstParagraph), text);
    assertFalse(text.contains("We use cookies"), text);
    assertFalse(text.contains("Copyright 2026 Example"), text);

    // the part files and the manifest
    for (String name : OutputDirectory.OUTPUTS) {
      try (var files = Files.list(out.resolve(name))) {
        List<Path> listed = files.toList();
        assertFalse(listed.isEmpty(), name);
        for (Path p : listed) {
          assertTrue(p.getFileName().toString().matches("part-.*\\.jsonl\\.gz"), p::toString);
        }
      }
    }
    JsonNode manifest = DocumentJson.mapper().readTree(out.resolve("manifest.json").toFile());
    assertEquals(entries.size(), manifest.path("in").asLong());
    assertEquals(s.onDisk("curated"), manifest.path("curated").path("records").asLong());
    assertTrue(manifest.path("exact").asBoolean());

    // one run per directory
    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                FileCurationJob.run(
                    cfg,
                    inputs,
                    ReadOptions.DEFAULT,
                    out,
                    false,
                    StreamExecutionEnvironment.getExecutionEnvironment(
                        FileCurationJob.flinkConfig(cfg))));
    assertTrue(refused.getMessage().contains("already holds a curation run"), refused::getMessage);
    assertTrue(refused.getMessage().contains("--overwrite"), refused::getMessage);
    assertEquals(s.onDisk("curated"), o.readAll("curated").size(), "the refused run wrote nothing");
  }

  /**
   * A stage with held state in batch mode: budgeted selection by a score that came with the input,
   * its warm-up holding most of the run when the failure hits; still every document once, about the
   * budget kept.
   */
  @Test
  void budgetSelectionOnFilesKeepsTheBudgetExactlyOnceAcrossAFailure(@TempDir Path dir)
      throws Exception {
    List<Document> docs = new ArrayList<>();
    docs.addAll(SharedCorpora.read("news", 200));
    docs.addAll(SharedCorpora.read("web", 100));
    Map<String, Double> scores = new HashMap<>();
    List<String> lines = new ArrayList<>();
    java.util.Random r = new java.util.Random(7);
    for (int i = 0; i < docs.size(); i++) {
      Document d = docs.get(i);
      Map<String, Object> meta = new java.util.LinkedHashMap<>(d.meta());
      if (i % 25 != 7) {
        double s = Math.round(r.nextGaussian() * 1e6) / 1e6;
        meta.put("quality_score", s);
        scores.put(d.id(), s);
      }
      lines.add(DocumentJson.toJson(new Document(d.id(), d.text(), d.source(), meta)));
    }
    Path folder = Files.createDirectories(dir.resolve("in"));
    Files.write(folder.resolve("a.jsonl"), lines.subList(0, 150), StandardCharsets.UTF_8);
    Files.write(
        folder.resolve("b.jsonl"), lines.subList(150, lines.size()), StandardCharsets.UTF_8);

    CurationConfig cfg = new CurationConfig();
    BoundedRun.qualityFiltersOff(cfg);
    cfg.nearDedup.enabled = false;
    cfg.job.parallelism = 2;
    cfg.job.injectFailureAfterRecords = 110;
    cfg.select.enabled = true;
    cfg.select.scoreField = "meta.quality_score";
    cfg.select.lowerIsBetter = false;
    cfg.select.fraction = 0.3;
    cfg.select.warmup = 200;
    cfg.select.refreshEvery = 8;
    cfg.validate();
    int failuresBefore = InjectedFailure.triggered();
    Path out = dir.resolve("out");
    FileCurationSummary s =
        FileCurationJob.run(
            cfg,
            List.of(folder),
            ReadOptions.DEFAULT,
            out,
            false,
            StreamExecutionEnvironment.getExecutionEnvironment(FileCurationJob.flinkConfig(cfg)));
    System.out.println(s.table());
    assertEquals(failuresBefore + 1, InjectedFailure.triggered(), "the failure was injected");
    assertTrue(s.exact(), s::table);
    assertEquals(docs.size(), s.in());

    OutputDirectory o = new OutputDirectory(out);
    Map<String, JsonNode> curated = byId(o.readAll("curated"));
    Map<String, JsonNode> rejected = byId(o.readAll("rejected"));
    assertEquals(docs.size(), curated.size() + rejected.size(), "every document once");
    long reached =
        docs.stream().filter(d -> scores.containsKey(d.id())).count()
            - rejected.values().stream()
                .filter(n -> n.path("rejection").path("stage").asText().equals("exact_dedup"))
                .filter(n -> scores.containsKey(n.path("id").asText()))
                .count();
    long below =
        rejected.values().stream()
            .filter(n -> n.path("rejection").path("rule").asText().equals("below budget"))
            .count();
    assertEquals(reached, curated.size() + below, "each scored document kept or below budget");
    assertEquals(0.3 * reached, curated.size(), 0.08 * reached, "about 30% kept");
    for (String id : curated.keySet()) {
      assertTrue(scores.containsKey(id), id);
    }
  }

  private static Map<String, JsonNode> byId(List<String> lines) throws Exception {
    Map<String, JsonNode> out = new HashMap<>();
    for (String l : lines) {
      JsonNode n = DocumentJson.mapper().readTree(l);
      out.put(n.path("id").asText(), n);
    }
    return out;
  }
}
