package dev.winnow.jobs.report;

import dev.winnow.ingest.serde.DocumentJson;
import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.general.DefaultPieDataset;
import org.jfree.data.statistics.HistogramDataset;

/**
 * Writes {@code report.html}, its pictures (PNG, drawn with JFreeChart, headless) and {@code
 * report.json} (every figure) into a directory.
 */
public final class ReportWriter {
  private static final int WIDTH = 900;
  private static final int HEIGHT = 420;

  /** More sources than this are shown grouped by their family (the name's part before a slash). */
  private static final int MAX_SOURCES = 20;

  private final Path dir;
  private final StringBuilder html = new StringBuilder();

  private ReportWriter(Path dir) {
    this.dir = dir;
  }

  /**
   * Writes the report of {@code t}, titled {@code what} (where the outputs were read), into {@code
   * dir}.
   *
   * @return the path of {@code report.html}
   */
  public static Path write(RunTally t, String what, Path dir) throws IOException {
    System.setProperty("java.awt.headless", "true");
    Files.createDirectories(dir);
    ReportWriter w = new ReportWriter(dir);
    w.render(t, what);
    Path page = dir.resolve("report.html");
    Files.writeString(page, w.html, StandardCharsets.UTF_8);
    DocumentJson.mapper()
        .writerWithDefaultPrettyPrinter()
        .writeValue(dir.resolve("report.json").toFile(), t.toJson());
    return page;
  }

  private void render(RunTally t, String what) throws IOException {
    html.append(
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>Winnow curation report</title>
        <style>
        body{font-family:system-ui,sans-serif;max-width:960px;margin:2em auto;color:#222}
        table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:.25em .6em;
        vertical-align:top}td.n{text-align:right;font-variant-numeric:tabular-nums}img{max-width:100%}
        .text{font-size:.85em;color:#444;max-width:480px}h2{margin-top:1.8em}
        </style></head><body>
        """);
    html.append("<h1>Winnow curation report</h1><p>").append(esc(what)).append("</p>\n");

    html.append("<h2>Counts</h2><table id=\"counts\">");
    row("in", t.total(), "in");
    row("kept (curated)", t.curated, "kept");
    row("rejected", t.rejected, "rejected");
    row("dead-lettered", t.deadLettered, "dead_lettered");
    html.append("</table>\n");

    html.append("<h2>Funnel</h2>");
    DefaultCategoryDataset funnel = new DefaultCategoryDataset();
    t.funnel().forEach((step, n) -> funnel.addValue(n, "documents", step));
    image(
        "funnel.png",
        "documents left after each rule",
        ChartFactory.createBarChart(
            "Documents left after each rule",
            null,
            "documents",
            funnel,
            PlotOrientation.HORIZONTAL,
            false,
            false,
            false),
        Math.max(HEIGHT, 60 + 28 * t.funnel().size()));
    html.append("<table id=\"funnel\"><tr><th>step</th><th>documents left</th></tr>");
    t.funnel().forEach((step, n) -> row(step, n, null));
    html.append("</table>\n");

    html.append("<h2>Keep rate per source</h2>");
    Map<String, long[]> perSource = t.perSource;
    if (perSource.size() > MAX_SOURCES) {
      perSource = new java.util.TreeMap<>();
      for (var e : t.perSource.entrySet()) {
        String family =
            e.getKey().contains("/")
                ? e.getKey().substring(0, e.getKey().indexOf('/'))
                : e.getKey();
        long[] kr = perSource.computeIfAbsent(family, k -> new long[2]);
        kr[0] += e.getValue()[0];
        kr[1] += e.getValue()[1];
      }
      html.append("<p>")
          .append(t.perSource.size())
          .append(" sources, grouped by the part of the name before the first <code>/</code>")
          .append(" (report.json has each one).</p>");
    }
    DefaultCategoryDataset sources = new DefaultCategoryDataset();
    html.append("<table id=\"sources\"><tr><th>source</th><th>kept</th><th>rejected</th>")
        .append("<th>keep rate</th></tr>");
    perSource.forEach(
        (s, kr) -> {
          double rate = kr[0] + kr[1] == 0 ? 0 : (double) kr[0] / (kr[0] + kr[1]);
          sources.addValue(rate, "keep rate", s);
          html.append("<tr><td>")
              .append(esc(s))
              .append("</td><td class=n>")
              .append(kr[0])
              .append("</td><td class=n>")
              .append(kr[1])
              .append("</td><td class=n>")
              .append(String.format("%.1f%%", 100 * rate))
              .append("</td></tr>");
        });
    html.append("</table>");
    image(
        "sources.png",
        "keep rate per source",
        ChartFactory.createBarChart(
            "Keep rate per source",
            null,
            "share kept",
            sources,
            PlotOrientation.VERTICAL,
            false,
            false,
            false),
        HEIGHT);

    html.append("<h2>Document length, kept and rejected</h2>");
    HistogramDataset lengths = new HistogramDataset();
    addLogSeries(lengths, "kept", t.keptLengths);
    addLogSeries(lengths, "rejected", t.rejectedLengths);
    JFreeChart lengthChart =
        ChartFactory.createHistogram(
            "Document length (log10 characters)",
            "log10(characters)",
            "documents",
            lengths,
            PlotOrientation.VERTICAL,
            true,
            false,
            false);
    translucent(lengthChart);
    image("lengths.png", "document length histograms, kept vs rejected", lengthChart, HEIGHT);

    html.append("<h2>Rejected, per rule, with examples</h2>");
    t.rejectedPerStageRule.forEach(
        (stage, rules) ->
            rules.forEach(
                (rule, n) -> {
                  html.append("<h3>")
                      .append(esc(stage))
                      .append(": ")
                      .append(esc(rule))
                      .append(" (")
                      .append(n)
                      .append(")</h3>");
                  html.append("<table class=\"examples\"><tr><th>id</th><th>source</th>")
                      .append("<th>value</th><th>threshold</th><th>duplicate of</th>")
                      .append("<th>text (first ")
                      .append(RunTally.EXAMPLE_CHARS)
                      .append(" characters)</th></tr>");
                  for (RunTally.Example e : t.examples.getOrDefault(rule, List.of())) {
                    html.append("<tr><td>")
                        .append(esc(e.id()))
                        .append("</td><td>")
                        .append(esc(e.source()))
                        .append("</td><td class=n>")
                        .append(esc(e.value()))
                        .append("</td><td>")
                        .append(esc(e.threshold()))
                        .append("</td><td>")
                        .append(e.duplicateOf() == null ? "" : esc(e.duplicateOf()))
                        .append("</td><td class=text>")
                        .append(esc(e.text()))
                        .append("</td></tr>");
                  }
                  html.append("</table>\n");
                }));
    if (!t.deadLetterReasons.isEmpty()) {
      html.append("<h3>dead letters</h3><table id=\"deadletters\">");
      t.deadLetterReasons.forEach((r, n) -> row(r, n, null));
      html.append("</table>\n");
    }

    Map<Integer, Long> clusters = t.clusterSizes();
    if (!clusters.isEmpty()) {
      html.append("<h2>Near-duplicate clusters</h2>");
      DefaultCategoryDataset cs = new DefaultCategoryDataset();
      clusters.forEach((size, n) -> cs.addValue(n, "clusters", Integer.toString(size)));
      image(
          "clusters.png",
          "near-duplicate cluster sizes",
          ChartFactory.createBarChart(
              "Near-duplicate cluster sizes (kept document + its rejected twins)",
              "documents in the" + " cluster",
              "clusters",
              cs,
              PlotOrientation.VERTICAL,
              false,
              false,
              false),
          HEIGHT);
    }
    if (!t.perplexityPerSource.isEmpty()) {
      html.append("<h2>Perplexity of kept documents, per source</h2>");
      HistogramDataset ppl = new HistogramDataset();
      t.perplexityPerSource.forEach((s, v) -> addLogSeries(ppl, s, v));
      JFreeChart c =
          ChartFactory.createHistogram(
              "Proxy-model perplexity (log10)",
              "log10(perplexity)",
              "documents",
              ppl,
              PlotOrientation.VERTICAL,
              true,
              false,
              false);
      translucent(c);
      image("perplexity.png", "perplexity histograms per source", c, HEIGHT);
    }
    pie(t.ccnetBuckets, "ccnet.png", "CCNet perplexity buckets of kept documents");
    if (!t.dsirLogWeights.isEmpty()) {
      html.append("<h2>DSIR importance weights</h2>");
      HistogramDataset lw = new HistogramDataset();
      lw.addSeries("log weight", t.dsirLogWeights.stream().mapToDouble(d -> d).toArray(), 40);
      image(
          "dsir.png",
          "DSIR log importance weights",
          ChartFactory.createHistogram(
              "DSIR log importance weight of kept documents",
              "log weight",
              "documents",
              lw,
              PlotOrientation.VERTICAL,
              false,
              false,
              false),
          HEIGHT);
    }
    pie(t.languages, "languages.png", "Languages");
    if (!t.pii.isEmpty()) {
      html.append("<h2>PII redacted</h2><table id=\"pii\">");
      t.pii.forEach((k, n) -> row(k, n, null));
      html.append("</table>\n");
    }
    // the browser test reads these: how many pictures the page has and how many loaded
    html.append(
        """
        <script>
        window.addEventListener('load', () => {
          const imgs = Array.from(document.images);
          const ok = imgs.filter(i => i.complete && i.naturalWidth > 0).length;
          document.body.setAttribute('data-images', imgs.length);
          document.body.setAttribute('data-images-loaded', ok);
        });
        </script>
        </body></html>
        """);
  }

  private void pie(Map<String, Long> shares, String file, String title) throws IOException {
    if (shares.isEmpty()) {
      return;
    }
    html.append("<h2>").append(esc(title)).append("</h2>");
    DefaultPieDataset<String> d = new DefaultPieDataset<>();
    shares.forEach(d::setValue);
    image(file, title, ChartFactory.createPieChart(title, d, true, false, false), HEIGHT);
    html.append("<table>");
    shares.forEach((k, n) -> row(k, n, null));
    html.append("</table>\n");
  }

  private static void addLogSeries(HistogramDataset d, String name, List<? extends Number> values) {
    List<Double> logs = new ArrayList<>();
    for (Number v : values) {
      if (v.doubleValue() > 0) {
        logs.add(Math.log10(v.doubleValue()));
      }
    }
    if (!logs.isEmpty()) {
      d.addSeries(name, logs.stream().mapToDouble(x -> x).toArray(), 40);
    }
  }

  private static void translucent(JFreeChart chart) {
    chart.getXYPlot().setForegroundAlpha(0.6f);
    ((XYBarRenderer) chart.getXYPlot().getRenderer()).setShadowVisible(false);
  }

  private void image(String file, String alt, JFreeChart chart, int height) throws IOException {
    chart.setBackgroundPaint(Color.WHITE);
    ChartUtils.saveChartAsPNG(dir.resolve(file).toFile(), chart, WIDTH, height);
    html.append("<p><img src=\"")
        .append(file)
        .append("\" alt=\"")
        .append(esc(alt))
        .append("\" width=\"")
        .append(WIDTH)
        .append("\"></p>\n");
  }

  private void row(String label, long n, String id) {
    html.append("<tr><td>").append(esc(label)).append("</td><td class=n");
    if (id != null) {
      html.append(" data-count=\"").append(id).append('"');
    }
    html.append('>').append(n).append("</td></tr>");
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
