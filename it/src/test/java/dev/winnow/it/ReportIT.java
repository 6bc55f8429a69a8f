package dev.winnow.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.winnow.ingest.Document;
import dev.winnow.ingest.serde.DocumentJson;
import dev.winnow.jobs.curation.CurationConfig;
import dev.winnow.jobs.demo.EmbeddedKafkaBroker;
import dev.winnow.jobs.demo.OutputTally;
import dev.winnow.jobs.report.ReportWriter;
import dev.winnow.jobs.report.RunOutputs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code winnow report} of a real curation run, opened in headless Chromium: every picture loads,
 * and the counts and the funnel's ends equal what the output topics hold. A screenshot is kept
 * under {@code target/}.
 */
class ReportIT {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  @TempDir Path dir;

  @Test
  void theReportRendersInChromiumWithEveryPictureAndTheTopicsCounts() throws Exception {
    assumeTrue(
        Files.isExecutable(CHROMIUM),
        "no Chromium at " + CHROMIUM + ": install Debian's chromium package (.ci/run does)");
    List<Document> docs = new ArrayList<>(SharedCorpora.read("news", 250));
    docs.addAll(SharedCorpora.read("web", 250));
    Path input = dir.resolve("in.jsonl");
    List<String> lines = new ArrayList<>();
    docs.forEach(d -> lines.add(DocumentJson.toJson(d)));
    for (int i = 0; i < 20; i++) { // planted exact duplicates under other ids
      Document d = docs.get(i * 7);
      lines.add(DocumentJson.toJson(new Document("dup-" + i, d.text(), d.source(), d.meta())));
    }
    Files.write(input, lines, StandardCharsets.UTF_8);

    try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
      CurationConfig cfg = BoundedRun.config(kafka.bootstrapServers(), "report", 500, 200);
      BoundedRun.publish(cfg, input, dir);
      OutputTally tally = BoundedRun.runExactlyOnce(cfg, lines.size());

      Path out = Path.of("target", "report-it");
      Path page =
          ReportWriter.write(
              RunOutputs.fromTopics(
                  cfg.kafka.bootstrap,
                  Map.of(),
                  cfg.topics.curated,
                  cfg.topics.rejected,
                  cfg.topics.deadletter),
              "ReportIT",
              out);

      String dom = chromium(page, "--dump-dom");
      Matcher images = Pattern.compile("data-images=\"(\\d+)\"").matcher(dom);
      Matcher loaded = Pattern.compile("data-images-loaded=\"(\\d+)\"").matcher(dom);
      assertTrue(images.find() && loaded.find(), "the page's load script ran: " + head(dom));
      assertTrue(Integer.parseInt(images.group(1)) >= 3, "funnel, sources, lengths at least");
      assertEquals(images.group(1), loaded.group(1), "every picture loaded");
      assertEquals(tally.total(), count(dom, "in"));
      assertEquals(tally.curated, count(dom, "kept"));
      assertEquals(tally.rejected, count(dom, "rejected"));
      assertEquals(tally.deadLettered, count(dom, "dead_lettered"));
      assertTrue(
          dom.contains("exact_duplicate (" + tally.rejectedPerRule.get("exact_duplicate") + ")"),
          "the rule's section with its count");

      Path shot = out.resolve("report-screenshot.png").toAbsolutePath();
      chromium(page, "--screenshot=" + shot, "--window-size=1280,2400");
      assertTrue(Files.size(shot) > 10_000, "a screenshot of the rendered page");
    }
  }

  private static long count(String dom, String id) {
    Matcher m = Pattern.compile("data-count=\"" + id + "\">(\\d+)<").matcher(dom);
    assertTrue(m.find(), "count " + id + " on the page");
    return Long.parseLong(m.group(1));
  }

  private String chromium(Path page, String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                CHROMIUM.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + dir.resolve("chromium-profile"),
                "--virtual-time-budget=5000"));
    cmd.addAll(List.of(args));
    cmd.add(page.toAbsolutePath().toUri().toString());
    Process p = new ProcessBuilder(cmd).redirectError(dir.resolve("chromium.err").toFile()).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "chromium finished");
    assertEquals(0, p.exitValue(), Files.readString(dir.resolve("chromium.err")));
    return new String(out, StandardCharsets.UTF_8);
  }

  private static String head(String s) {
    return s.length() > 500 ? s.substring(0, 500) : s;
  }
}
