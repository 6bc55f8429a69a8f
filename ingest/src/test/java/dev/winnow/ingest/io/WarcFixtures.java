package dev.winnow.ingest.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.jsoup.nodes.Entities;
import org.netpreserve.jwarc.HttpRequest;
import org.netpreserve.jwarc.HttpResponse;
import org.netpreserve.jwarc.MediaType;
import org.netpreserve.jwarc.WarcCompression;
import org.netpreserve.jwarc.WarcConversion;
import org.netpreserve.jwarc.WarcRecord;
import org.netpreserve.jwarc.WarcRequest;
import org.netpreserve.jwarc.WarcResponse;
import org.netpreserve.jwarc.WarcTruncationReason;
import org.netpreserve.jwarc.WarcWriter;
import org.netpreserve.jwarc.Warcinfo;

/** Writes WARC and WET files for tests with jwarc's writer, plus raw broken bytes where needed. */
public final class WarcFixtures implements AutoCloseable {
  public static final Instant DATE = Instant.parse("2026-11-03T10:15:30Z");
  private final FileChannel channel;
  private final WarcWriter writer;
  private final boolean gzip;

  public WarcFixtures(Path file, boolean gzip) throws IOException {
    this.channel =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING);
    this.gzip = gzip;
    this.writer = new WarcWriter(channel, gzip ? WarcCompression.GZIP : WarcCompression.NONE);
  }

  public static UUID uuid(int n) {
    return new UUID(0x1234_5678_9abc_def0L, n);
  }

  /** An HTML page of the given article paragraphs (HTML-escaped) wrapped in typical boilerplate. */
  public static String page(String title, List<String> paragraphs) {
    StringBuilder p = new StringBuilder();
    for (String s : paragraphs) {
      p.append("<p>").append(Entities.escape(s)).append("</p>\n");
    }
    title = Entities.escape(title);
    return "<!doctype html><html><head><title>"
        + title
        + " | Example</title><script>var tracker = 1;</script></head><body>"
        + "<div class=\"cookie-banner\">We use cookies to improve your experience, sadly.</div>"
        + "<nav><a href=/>Home</a> <a href=/news>News</a></nav><article><h1>"
        + title
        + "</h1>"
        + p
        + "</article><footer>Copyright 2026 Example, all rights reserved, everywhere.</footer>"
        + "</body></html>";
  }

  public WarcFixtures warcinfo() throws IOException {
    writer.write(
        new Warcinfo.Builder()
            .date(DATE)
            .fields(Map.of("software", List.of("winnow-test")))
            .build());
    return this;
  }

  public WarcFixtures request(String url) throws IOException {
    writer.write(
        new WarcRequest.Builder(url)
            .date(DATE)
            .body(new HttpRequest.Builder("GET", url).build())
            .build());
    return this;
  }

  /** A 200 response with the given content type (e.g. {@code text/html; charset=utf-8}). */
  public WarcFixtures response(int id, String url, String contentType, byte[] body)
      throws IOException {
    return response(id, url, 200, contentType, body, null);
  }

  public WarcFixtures response(
      int id,
      String url,
      int status,
      String contentType,
      byte[] body,
      WarcTruncationReason truncated)
      throws IOException {
    HttpResponse.Builder http = new HttpResponse.Builder(status, status == 200 ? "OK" : "Other");
    http.body(contentType == null ? null : MediaType.parse(contentType), body);
    WarcResponse.Builder b =
        new WarcResponse.Builder(url).recordId(uuid(id)).date(DATE).body(http.build());
    if (truncated != null) {
      b.truncated(truncated);
    }
    writer.write(b.build());
    return this;
  }

  public WarcFixtures html(int id, String url, String html, Charset cs, boolean declare)
      throws IOException {
    return response(
        id, url, declare ? "text/html; charset=" + cs.name() : "text/html", html.getBytes(cs));
  }

  public WarcFixtures conversion(int id, String url, String text) throws IOException {
    WarcRecord r =
        new WarcConversion.Builder()
            .recordId(uuid(id))
            .date(DATE)
            .addHeader("WARC-Target-URI", url)
            .body(MediaType.PLAIN_TEXT, text.getBytes(StandardCharsets.UTF_8))
            .build();
    writer.write(r);
    return this;
  }

  /** Raw bytes that are no WARC record: a gzip member of them in a compressed file. */
  public WarcFixtures garbage(String text) throws IOException {
    byte[] raw = text.getBytes(StandardCharsets.US_ASCII);
    if (gzip) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
        out.write(raw);
      }
      raw = bytes.toByteArray();
    }
    channel.write(ByteBuffer.wrap(raw));
    return this;
  }

  public long size() throws IOException {
    return channel.size();
  }

  @Override
  public void close() throws IOException {
    writer.close();
    channel.close();
  }
}
