package dev.winnow.ingest.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.ingest.Document;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netpreserve.jwarc.WarcTruncationReason;

class WarcReadingTest {
  @TempDir Path dir;

  static final List<String> ARTICLE =
      List.of(
          "The council approved the new library on Monday, after a debate that lasted, with breaks, almost six hours.",
          "Construction is expected to start in spring and to take two years, according to the architects, who presented revised plans.");

  static final String RUSSIAN =
      "Все люди рождаются свободными и равными в своем достоинстве и правах, они наделены разумом"
          + " и совестью и должны поступать в отношении друг друга в духе братства.";

  static List<InputEntry> read(Path... files) throws IOException {
    List<InputEntry> out = new ArrayList<>();
    try (DocumentReader r = new DocumentReader(List.of(files))) {
      r.forEachRemaining(out::add);
    }
    return out;
  }

  @Test
  void htmlResponsesBecomeDocumentsAndEverythingElseIsARejectWithItsReason() throws IOException {
    Path warc = dir.resolve("crawl.warc.gz");
    try (WarcFixtures w = new WarcFixtures(warc, true)) {
      w.warcinfo()
          .request("https://example.org/library")
          .html(
              1,
              "https://example.org/library",
              WarcFixtures.page("Library approved", ARTICLE),
              StandardCharsets.UTF_8,
              true)
          .response(
              2,
              "https://example.org/logo.png",
              "image/png",
              new byte[] {(byte) 0x89, 'P', 'N', 'G'})
          .response(
              3,
              "https://example.org/missing",
              404,
              "text/html",
              "<p>not found</p>".getBytes(),
              null)
          .response(
              4,
              "https://example.org/latin",
              "text/html; charset=utf-8",
              "ÀÉÎÕÜ àéîõü ÀÉÎÕÜ àéîõü ".repeat(30).getBytes(StandardCharsets.ISO_8859_1))
          .response(
              5,
              "https://example.org/cut",
              200,
              "text/html",
              WarcFixtures.page("Cut", ARTICLE).getBytes(StandardCharsets.UTF_8),
              WarcTruncationReason.LENGTH)
          .html(
              6,
              "https://example.org/ru",
              "<html><head><meta charset=\"windows-1251\"><title>Декларация</title></head><body><article><p>"
                  + RUSSIAN
                  + "</p><p>"
                  + RUSSIAN
                  + "</p></article></body></html>",
              Charset.forName("windows-1251"),
              false)
          .html(
              7,
              "https://example.org/empty",
              "<html><body><nav>Home</nav></body></html>",
              StandardCharsets.UTF_8,
              true);
    }
    List<InputEntry> es = read(warc);
    assertEquals(7, es.size(), es::toString); // warcinfo and request are no entries
    for (int i = 0; i < es.size(); i++) {
      assertEquals(i, es.get(i).index());
    }

    InputEntry page = es.get(0);
    assertTrue(page.ok(), page::error);
    Document d = page.document();
    assertEquals(WarcFixtures.uuid(1).toString(), d.id());
    assertEquals("Library approved\n\n" + String.join("\n\n", ARTICLE), d.text());
    assertEquals("https://example.org/library", d.meta().get("url"));
    assertEquals("2026-11-03T10:15:30Z", d.meta().get("warc_date"));
    assertEquals("text/html", d.meta().get("content_type"));
    assertEquals("UTF-8", d.meta().get("charset"));
    assertEquals("header", d.meta().get("charset_source"));
    assertEquals("crawl.warc.gz", d.meta().get("warc_file"));
    assertEquals("Library approved", d.meta().get("title"));
    long offset = ((Number) d.meta().get("warc_offset")).longValue();
    assertTrue(offset > 0);
    assertEquals(warc + "@" + offset, page.location());

    assertEquals("not HTML: content type image/png", es.get(1).error());
    assertEquals("HTTP status 404, not a page", es.get(2).error());
    assertTrue(
        es.get(3).error().startsWith("payload does not decode as UTF-8 (charset from header)"),
        es.get(3).error());
    assertEquals("record truncated by the crawler (WARC-Truncated: length)", es.get(4).error());

    InputEntry ru = es.get(5);
    assertTrue(ru.ok(), ru::error);
    assertEquals("windows-1251", ru.document().meta().get("charset"));
    assertEquals("meta", ru.document().meta().get("charset_source"));
    assertTrue(ru.document().text().contains(RUSSIAN), ru.document().text());

    assertEquals("no main text found in the HTML", es.get(6).error());
  }

  @Test
  void aBrokenRecordInTheMiddleCostsOnlyThatRecord() throws IOException {
    for (boolean gzip : new boolean[] {true, false}) {
      Path warc = dir.resolve(gzip ? "mid.warc.gz" : "mid.warc");
      try (WarcFixtures w = new WarcFixtures(warc, gzip)) {
        w.html(
                1,
                "https://a.example/",
                WarcFixtures.page("First page", ARTICLE),
                StandardCharsets.UTF_8,
                true)
            .garbage(
                "WARC/1.1\r\nWARC-Type: response\r\nContent-Length: twelve\r\n\r\nnot a record\r\n\r\n")
            .html(
                2,
                "https://b.example/",
                WarcFixtures.page("Second page", ARTICLE),
                StandardCharsets.UTF_8,
                true);
      }
      List<InputEntry> es = read(warc);
      assertEquals(3, es.size(), es::toString);
      assertTrue(es.get(0).ok());
      assertFalse(es.get(1).ok());
      assertTrue(es.get(1).error().startsWith("unreadable WARC record: "), es.get(1).error());
      assertTrue(es.get(2).ok(), es.get(2)::error);
      assertTrue(es.get(2).document().text().startsWith("Second page\n\n"));
    }
  }

  @Test
  void aFileCutInTheMiddleOfARecordEndsWithOneReject() throws IOException {
    Path warc = dir.resolve("cut.warc.gz");
    long firstEnd;
    try (WarcFixtures w = new WarcFixtures(warc, true)) {
      w.html(
          1,
          "https://a.example/",
          WarcFixtures.page("First page", ARTICLE),
          StandardCharsets.UTF_8,
          true);
      firstEnd = w.size();
      w.html(
          2,
          "https://b.example/",
          WarcFixtures.page("Second page", ARTICLE),
          StandardCharsets.UTF_8,
          true);
    }
    long size = Files.size(warc);
    try (FileChannel ch = FileChannel.open(warc, StandardOpenOption.WRITE)) {
      ch.truncate(firstEnd + (size - firstEnd) / 2);
    }
    Path after = dir.resolve("after.jsonl");
    Files.writeString(after, "{\"id\":\"next\",\"text\":\"the next file is read\"}\n");
    List<InputEntry> es = read(warc, after);
    assertEquals(3, es.size(), es::toString);
    assertTrue(es.get(0).ok());
    assertTrue(
        es.get(1).error().contains("truncated or malformed record")
            || es.get(1).error().startsWith("unreadable WARC record"),
        es.get(1).error());
    assertEquals(warc + "@" + firstEnd, es.get(1).location());
    assertEquals("next", es.get(2).document().id());
  }

  @Test
  void wetConversionRecordsAreDocumentsAsTheyAre() throws IOException {
    Path wet = dir.resolve("crawl.warc.wet.gz");
    String text = "Line one of the page\nLine two of the page\n\nA second paragraph.";
    try (WarcFixtures w = new WarcFixtures(wet, true)) {
      w.warcinfo()
          .conversion(1, "https://a.example/", text)
          .conversion(2, "https://b.example/", "  \n ");
    }
    List<InputEntry> es = read(wet);
    assertEquals(2, es.size(), es::toString);
    Document d = es.get(0).document();
    assertEquals(WarcFixtures.uuid(1).toString(), d.id());
    assertEquals(text, d.text());
    assertEquals("https://a.example/", d.meta().get("url"));
    assertEquals("text/plain", d.meta().get("content_type"));
    assertNull(es.get(0).error());
    assertEquals("empty conversion record", es.get(1).error());
  }

  @Test
  void savedHtmlPagesAreTheirMainText() throws IOException {
    Path sub = Files.createDirectories(dir.resolve("pages"));
    Files.write(
        sub.resolve("a.html"),
        ("<html><head><meta charset=\"windows-1251\"><title>Декларация</title></head><body>"
                + "<nav><a href=/>Home</a></nav><article><p>"
                + RUSSIAN
                + "</p></article><footer>Copyright 2026, all rights reserved, forever.</footer></body></html>")
            .getBytes(Charset.forName("windows-1251")));
    Files.writeString(sub.resolve("empty.htm"), "<html><body><nav>Home</nav></body></html>");
    List<InputEntry> es = read(sub);
    assertEquals(2, es.size());
    Document d = es.get(0).document();
    assertEquals("Декларация\n\n" + RUSSIAN, d.text());
    assertEquals("a.html", d.meta().get("path"));
    assertEquals("windows-1251", d.meta().get("charset"));
    assertEquals("pages", d.source());
    assertEquals("no main text found in the HTML", es.get(1).error());
  }

  @Test
  void warcFilesInADirectoryAreReadByType() throws IOException {
    Path sub = Files.createDirectories(dir.resolve("in"));
    try (WarcFixtures w = new WarcFixtures(sub.resolve("a.warc"), false)) {
      w.html(
          1,
          "https://a.example/",
          WarcFixtures.page("First page", ARTICLE),
          StandardCharsets.UTF_8,
          true);
    }
    Files.writeString(sub.resolve("b.txt"), "plain text");
    List<InputEntry> es = read(sub);
    assertEquals(2, es.size());
    assertTrue(es.get(0).document().text().startsWith("First page"));
    assertEquals("plain text", es.get(1).document().text());
  }
}
