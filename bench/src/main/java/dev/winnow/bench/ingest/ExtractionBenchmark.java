package dev.winnow.bench.ingest;

import dev.winnow.bench.BenchEnv;
import dev.winnow.ingest.Document;
import dev.winnow.ingest.html.ExtractedText;
import dev.winnow.ingest.html.MainTextExtractor;
import dev.winnow.ingest.io.DocumentReader;
import dev.winnow.ingest.io.InputEntry;
import dev.winnow.ingest.serde.DocumentJson;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.jsoup.nodes.Entities;
import org.netpreserve.jwarc.HttpResponse;
import org.netpreserve.jwarc.MediaType;
import org.netpreserve.jwarc.WarcCompression;
import org.netpreserve.jwarc.WarcResponse;
import org.netpreserve.jwarc.WarcWriter;

/**
 * Extraction quality and speed of {@link MainTextExtractor} on pages built here: real news articles
 * from {@code ../shared/corpora/news.jsonl.gz} (their lines as paragraphs) inside five page layouts
 * with boilerplate (navigation, cookie banners, sidebars, comments, related links, newsletter
 * boxes, footers, scripts, styles, HTML comments). Quality: the share of article paragraphs
 * recovered exactly, the share of extracted paragraphs that are article text (title or paragraph),
 * and the share of pages where any boilerplate string leaks into the text. Speed: pages per second
 * on one thread (one core), HTML string → text, and the whole WARC read path (gzip WARC → jwarc →
 * charset → jsoup → extraction → document) on one thread.
 *
 * <p>Run: {@code mvn -B -q -o -pl bench -am compile} then java with the bench class path (see the
 * README's Benchmarks section).
 */
public final class ExtractionBenchmark {
  static final String[] LAYOUTS = {"semantic", "div-soup", "table", "blog", "unlabelled"};

  /** Strings that appear only in boilerplate (each layout uses some of them). */
  static final List<String> BOILERPLATE =
      List.of(
          "We use cookies",
          "Accept all",
          "Subscribe to our newsletter",
          "Most read",
          "All rights reserved",
          "Related stories",
          "Share this article",
          "Sign in",
          "Reader comments",
          "This comment",
          "function track",
          "font-family",
          "hidden note",
          "Skip to content",
          "Advertisement",
          "About this site");

  record Page(String html, String title, List<String> paragraphs, String layout) {}

  public static void main(String[] args) throws Exception {
    List<Document> news = read(BenchEnv.shared().resolve("corpora/news.jsonl.gz"), 1000);
    List<Page> pages = new ArrayList<>();
    for (int i = 0; i < news.size(); i++) {
      List<String> paras =
          Arrays.stream(news.get(i).text().split("\n+"))
              .map(s -> s.strip().replaceAll("\\s+", " "))
              .filter(s -> !s.isEmpty())
              .toList();
      if (paras.size() < 2) {
        continue;
      }
      String title = paras.get(0);
      List<String> body = paras.subList(1, paras.size());
      String layout = LAYOUTS[i % LAYOUTS.length];
      pages.add(new Page(build(layout, title, body, i), title, body, layout));
    }

    MainTextExtractor x = new MainTextExtractor();
    StringBuilder md = new StringBuilder();
    md.append("# HTML main-text extraction\n\n");
    md.append(
        "`ExtractionBenchmark` ("
            + LocalDate.now()
            + "): "
            + pages.size()
            + " pages built from real news articles of `../shared/corpora/news.jsonl.gz` (first line"
            + " = title, the other lines = paragraphs) in five layouts with boilerplate; see the"
            + " class for the layouts. Quality is exact-string: a paragraph counts as recovered only"
            + " if it comes out identical.\n\n");
    md.append("Machine: ")
        .append(BenchEnv.machine())
        .append(" — shared with other builds while measured: speeds are noisy lower bounds.\n\n");
    md.append(
        "| layout | pages | paragraphs recovered | extracted that is article text | pages with boilerplate leaked | title right |\n");
    md.append("|---|---|---|---|---|---|\n");
    long allParas = 0;
    long allRecovered = 0;
    long allOut = 0;
    long allOutGood = 0;
    long allLeaks = 0;
    long allTitles = 0;
    for (String layout : LAYOUTS) {
      long n = 0;
      long paras = 0;
      long recovered = 0;
      long out = 0;
      long outGood = 0;
      long leaks = 0;
      long titles = 0;
      for (Page p : pages) {
        if (!p.layout.equals(layout)) {
          continue;
        }
        n++;
        ExtractedText t = x.extract(p.html);
        Set<String> got = new HashSet<>(t.paragraphs());
        Set<String> want = new HashSet<>(p.paragraphs);
        paras += p.paragraphs.size();
        for (String s : p.paragraphs) {
          if (got.contains(s)) {
            recovered++;
          }
        }
        for (String s : t.paragraphs()) {
          out++;
          if (want.contains(s) || s.equals(p.title)) {
            outGood++;
          }
        }
        String text = t.text();
        if (BOILERPLATE.stream().anyMatch(text::contains)) {
          leaks++;
        }
        if (t.title().equals(p.title)) {
          titles++;
        }
      }
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %.2f%% | %.2f%% | %.1f%% | %.1f%% |%n",
              layout,
              n,
              100.0 * recovered / paras,
              100.0 * outGood / Math.max(1, out),
              100.0 * leaks / n,
              100.0 * titles / n));
      allParas += paras;
      allRecovered += recovered;
      allOut += out;
      allOutGood += outGood;
      allLeaks += leaks;
      allTitles += titles;
    }
    md.append(
        String.format(
            Locale.ROOT,
            "| **all** | %d | %.2f%% | %.2f%% | %.1f%% | %.1f%% |%n%n",
            pages.size(),
            100.0 * allRecovered / allParas,
            100.0 * allOutGood / Math.max(1, allOut),
            100.0 * allLeaks / pages.size(),
            100.0 * allTitles / pages.size()));

    // the same pages at a realistic weight: a 25 KB inline script, a 300-link menu, a 150-link
    // footer (Common Crawl's HTML pages have a median of about 50 KB, mostly such markup)
    List<Page> heavy = new ArrayList<>();
    for (Page p : pages) {
      heavy.add(new Page(heavy(p.html), p.title, p.paragraphs, p.layout));
    }
    long heavyRecovered = 0;
    long heavyParas = 0;
    long heavyLeaks = 0;
    for (Page p : heavy) {
      ExtractedText t = x.extract(p.html);
      Set<String> got = new HashSet<>(t.paragraphs());
      heavyParas += p.paragraphs.size();
      heavyRecovered += p.paragraphs.stream().filter(got::contains).count();
      String text = t.text();
      if (BOILERPLATE.stream().anyMatch(text::contains) || text.contains("Menu item")) {
        heavyLeaks++;
      }
    }
    md.append(
        String.format(
            Locale.ROOT,
            "The same pages made heavy (mean %,d characters: a 25 KB inline script, a 300-link menu, a"
                + " 150-link footer added): %.2f%% of paragraphs recovered, boilerplate leaked on"
                + " %.1f%% of pages.%n%n",
            heavy.stream().mapToLong(p -> p.html.length()).sum() / heavy.size(),
            100.0 * heavyRecovered / heavyParas,
            100.0 * heavyLeaks / heavy.size()));
    md.append(
        "| speed, one thread (median of 7 rounds after a warm-up) | pages/s | MB/s of HTML |\n|---|---|---|\n");
    speed(md, "extraction only, small pages (HTML string → paragraphs)", pages, x);
    speed(md, "extraction only, heavy pages", heavy, x);
    warcSpeed(
        md,
        "WARC read path, small pages (gzip WARC → jwarc → charset → extraction → document)",
        pages);
    warcSpeed(md, "WARC read path, heavy pages", heavy);
    md.append(
        "\nOne thread is one core: the file job and `publish` read one file per task, so a run scales"
            + " with the number of input files up to the cores available.\n");
    Path out = BenchEnv.result("extraction.md");
    Files.writeString(out, md.toString());
    System.out.print(md);
  }

  static String heavy(String html) {
    StringBuilder script = new StringBuilder("<script>");
    while (script.length() < 25_000) {
      script.append(
          "window.dataLayer=window.dataLayer||[];function g(){dataLayer.push(arguments)};\n");
    }
    script.append("</script>");
    StringBuilder menu = new StringBuilder("<nav class=\"mega-menu\"><ul>");
    for (int i = 0; i < 300; i++) {
      menu.append("<li><a href=\"/section/")
          .append(i)
          .append("\">Menu item ")
          .append(i)
          .append("</a></li>");
    }
    menu.append("</ul></nav>");
    StringBuilder footer = new StringBuilder("<div class=\"site-footer\">");
    for (int i = 0; i < 150; i++) {
      footer
          .append("<a href=\"/f/")
          .append(i)
          .append("\">Menu item footer ")
          .append(i)
          .append("</a> ");
    }
    footer.append("</div>");
    return html.replace("</head>", script + "</head>")
        .replaceFirst("<body>", "<body>" + menu)
        .replace("</body>", footer + "</body>");
  }

  static void speed(StringBuilder md, String what, List<Page> pages, MainTextExtractor x) {
    long bytes = pages.stream().mapToLong(p -> p.html.length()).sum();
    List<Double> rates = new ArrayList<>();
    for (int round = 0; round < 8; round++) {
      long t0 = System.nanoTime();
      long sink = 0;
      for (Page p : pages) {
        sink += x.extract(p.html).paragraphs().size();
      }
      double secs = (System.nanoTime() - t0) / 1e9;
      if (sink == 0) {
        throw new IllegalStateException("nothing extracted");
      }
      if (round > 0) {
        rates.add(pages.size() / secs);
      }
    }
    double median = rates.stream().sorted().toList().get(rates.size() / 2);
    md.append(
        String.format(
            Locale.ROOT,
            "| %s | %,.0f | %.1f |%n",
            what,
            median,
            median * bytes / pages.size() / 1e6));
  }

  static void warcSpeed(StringBuilder md, String what, List<Page> pages) throws Exception {
    long bytes = pages.stream().mapToLong(p -> p.html.length()).sum();
    Path warc = Files.createTempFile("extraction-bench", ".warc.gz");
    try (WarcWriter w =
        new WarcWriter(
            Files.newByteChannel(warc, java.nio.file.StandardOpenOption.WRITE),
            WarcCompression.GZIP)) {
      for (int i = 0; i < pages.size(); i++) {
        HttpResponse http =
            new HttpResponse.Builder(200, "OK")
                .body(
                    MediaType.parse("text/html; charset=utf-8"),
                    pages.get(i).html.getBytes(StandardCharsets.UTF_8))
                .build();
        w.write(new WarcResponse.Builder("https://news.example/" + i).body(http).build());
      }
    }
    List<Double> rates = new ArrayList<>();
    long docs = 0;
    for (int round = 0; round < 8; round++) {
      long t0 = System.nanoTime();
      docs = 0;
      try (DocumentReader r = new DocumentReader(List.of(warc))) {
        while (r.hasNext()) {
          InputEntry e = r.next();
          if (e.ok()) {
            docs++;
          }
        }
      }
      double secs = (System.nanoTime() - t0) / 1e9;
      if (round > 0) {
        rates.add(pages.size() / secs);
      }
    }
    long warcBytes = Files.size(warc);
    Files.delete(warc);
    double median = rates.stream().sorted().toList().get(rates.size() / 2);
    md.append(
        String.format(
            Locale.ROOT,
            "| %s; %.1f MB WARC, %d of %d pages kept | %,.0f | %.1f |%n",
            what,
            warcBytes / 1e6,
            docs,
            pages.size(),
            median,
            median * bytes / pages.size() / 1e6));
  }

  static String build(String layout, String title, List<String> body, int seed) {
    StringBuilder p = new StringBuilder();
    String t = Entities.escape(title);
    switch (layout) {
      case "semantic" -> {
        p.append("<!doctype html><html><head><title>")
            .append(t)
            .append(" | Daily News</title>")
            .append(
                "<style>body{font-family:serif}</style><script>function track(){}</script></head><body>")
            .append("<a class=\"skip-link\" href=\"#main\">Skip to content</a>")
            .append(
                "<div id=\"cookie-consent\"><p>We use cookies to personalise content and ads, and to analyse our traffic.</p><button>Accept all</button></div>")
            .append(
                "<header><a href=/>Daily News</a><nav><a href=/w>World</a> <a href=/b>Business</a> <a href=/login>Sign in</a></nav></header>")
            .append("<main id=\"main\"><article><h1>")
            .append(t)
            .append("</h1><!-- hidden note for editors -->");
        for (String s : body) {
          p.append("<p>").append(Entities.escape(s)).append("</p>");
        }
        p.append("<div class=\"share\">Share this article</div></article>")
            .append(
                "<section class=\"comments\"><h2>Reader comments</h2><p>This comment is long, opinionated, and it goes on, and on, like real comments do.</p></section></main>")
            .append(
                "<aside><h2>Most read</h2><ol><li><a href=/1>Another story that is not this story at all</a></li><li><a href=/2>Yet another story, elsewhere</a></li></ol></aside>")
            .append(
                "<footer><p>© 2026 Daily News. All rights reserved. Reproduction without permission is prohibited.</p></footer></body></html>");
      }
      case "div-soup" -> {
        p.append("<html><head><title>")
            .append(t)
            .append("</title><script>function track(){}</script></head><body>")
            .append(
                "<div id=\"top-menu\"><a href=/>Home</a> | <a href=/news>News</a> | <a href=/login>Sign in</a></div>")
            .append(
                "<div id=\"wrapper\"><div id=\"left-sidebar\"><div class=\"widget\"><b>Most read</b><br><a href=/1>One story</a><br><a href=/2>Two stories</a></div>")
            .append(
                "<div class=\"ad-box\">Advertisement</div></div><div id=\"story-content\"><div class=\"headline\"><h1>")
            .append(t)
            .append("</h1></div>");
        for (String s : body) {
          p.append("<div class=\"para\">").append(Entities.escape(s)).append("</div>");
        }
        p.append(
                "</div><div id=\"consent-popup\">We use cookies, and by staying on the site you accept that, sadly, forever.<a href=#>Accept all</a></div></div>")
            .append(
                "<div id=\"bottom\"><div class=\"copyright\">All rights reserved, 2026, by the publisher of this fine site.</div></div></body></html>");
      }
      case "table" -> {
        p.append("<html><head><title>")
            .append(t)
            .append("</title></head><body><table width=100%><tr>")
            .append(
                "<td width=150><a href=/>Home</a><br><a href=/a>Archive</a><br><a href=/c>Contact</a><br><a href=/login>Sign in</a></td><td>")
            .append("<h1>")
            .append(t)
            .append("</h1>");
        for (String s : body) {
          p.append("<p>").append(Entities.escape(s)).append("</p>");
        }
        p.append(
            "</td></tr><tr><td colspan=2><small>All rights reserved. Copying prohibited.</small></td></tr></table></body></html>");
      }
      case "blog" -> {
        p.append("<html><head><title>")
            .append(t)
            .append(" - A Blog</title><style>.x{font-family:sans}</style></head><body>")
            .append(
                "<div class=\"navbar\"><a href=/>Blog</a><a href=/about>About</a></div><div class=\"post\"><h1 class=\"entry-title\">")
            .append(t)
            .append("</h1><div class=\"entry-content\">");
        for (int i = 0; i < body.size(); i++) {
          String s = Entities.escape(body.get(i));
          if (i == 1) {
            // an inline link inside a paragraph stays
            int cut = s.indexOf(' ', s.length() / 2);
            s = cut > 0 ? s.substring(0, cut) + " <a href=/x>" + s.substring(cut + 1) + "</a>" : s;
          }
          p.append("<p>").append(s).append("</p>");
        }
        p.append("</div><div class=\"sharing\">Share this article</div>")
            .append(
                "<div class=\"related-posts\"><h3>Related stories</h3><ul><li><a href=/r1>A related post with a long and descriptive title here</a></li><li><a href=/r2>Another related post with a long title too</a></li></ul></div></div>")
            .append(
                "<div class=\"newsletter\"><p>Subscribe to our newsletter and never miss a post, we promise, no spam, ever.</p></div>")
            .append(
                "<div id=\"comments\"><p>This comment says the post is great, really great, the best one yet.</p></div></body></html>");
      }
      default -> {
        // no helpful tags or class names: only the scoring can tell the article from the rest
        p.append("<html><head><title>")
            .append(t)
            .append("</title></head><body><div>")
            .append(
                "<div><a href=/>Home</a> <a href=/1>World</a> <a href=/2>Sport</a> <a href=/3>Sign in</a></div>")
            .append("<div><h1>")
            .append(t)
            .append("</h1>");
        for (String s : body) {
          p.append("<p>").append(Entities.escape(s)).append("</p>");
        }
        p.append(
                "</div><div><a href=/p1>Most read: a story about something else entirely</a><br><a href=/p2>Most read: and one more story</a></div>")
            .append(
                "<div><p>About this site: we publish news from the region, every day, since long ago.</p></div></div></body></html>");
      }
    }
    return p.toString();
  }

  static List<Document> read(Path f, int limit) throws Exception {
    List<Document> out = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(f)), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null && out.size() < limit) {
        out.add(DocumentJson.parse(line));
      }
    }
    return out;
  }
}
