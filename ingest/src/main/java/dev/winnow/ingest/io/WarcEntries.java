package dev.winnow.ingest.io;

import dev.winnow.ingest.Document;
import dev.winnow.ingest.DocumentIds;
import dev.winnow.ingest.html.ExtractedText;
import dev.winnow.ingest.html.HtmlCharset;
import dev.winnow.ingest.html.MainTextExtractor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.netpreserve.jwarc.HttpResponse;
import org.netpreserve.jwarc.MediaType;
import org.netpreserve.jwarc.WarcCompression;
import org.netpreserve.jwarc.WarcConversion;
import org.netpreserve.jwarc.WarcReader;
import org.netpreserve.jwarc.WarcRecord;
import org.netpreserve.jwarc.WarcResponse;
import org.netpreserve.jwarc.WarcTargetRecord;
import org.netpreserve.jwarc.WarcTruncationReason;

/**
 * The documents of a WARC file (through jwarc; WARC 1.0 and 1.1, plain or one gzip member per
 * record): {@code response} records whose HTTP payload is HTML become documents of their main text
 * ({@link MainTextExtractor}); or, for a WET file, {@code conversion} records as they are. Other
 * record types ({@code warcinfo}, {@code request}, {@code metadata}, …) are not documents and are
 * skipped without an entry.
 *
 * <p>A response that is not a document is an entry with its reason: an HTTP status other than 2xx,
 * a payload that is not HTML, a record the crawler marked truncated ({@code WARC-Truncated}) or
 * that ends before its {@code Content-Length}, a payload that does not decode in its charset, a
 * page with no main text. A record that cannot be parsed is an entry too; reading then resumes at
 * the next gzip member (or the next {@code WARC/} version line in an uncompressed file), so one
 * broken record costs that record only.
 *
 * <p>The id is the record's {@code WARC-Record-ID} without its {@code urn:uuid:} prefix (other
 * record-id forms: {@code "w"} + the content-hash of the id). Meta: {@code url}, {@code warc_date},
 * {@code content_type}, {@code charset} and {@code charset_source} (HTML), {@code title}, {@code
 * warc_file} (file name), {@code warc_offset} (the record's byte offset in the file).
 */
final class WarcEntries implements FileEntries {
  private final Path file;
  private final boolean wet;
  private final MainTextExtractor extractor = new MainTextExtractor();
  private final FileChannel channel;
  private final WarcReader reader;

  WarcEntries(Path file, boolean wet) throws IOException {
    this.file = file;
    this.wet = wet;
    this.channel = FileChannel.open(file, StandardOpenOption.READ);
    this.reader = new WarcReader(channel);
  }

  @Override
  public InputEntry next() throws IOException {
    while (true) {
      WarcRecord record;
      long at = reader.position();
      try {
        Optional<WarcRecord> r = reader.next();
        if (r.isEmpty()) {
          return null;
        }
        record = r.get();
        at = reader.position();
      } catch (IOException | RuntimeException e) {
        // jwarc reports the start of the record it failed on
        long failedAt = Math.max(at, reader.position());
        resync(failedAt);
        return broken(failedAt, "unreadable WARC record: " + message(e));
      }
      String where = file + "@" + at;
      try {
        InputEntry e =
            wet
                ? conversion(record, where, at)
                : record instanceof WarcResponse resp ? response(resp, where, at) : null;
        if (e != null) {
          return e;
        }
      } catch (IOException | RuntimeException e) {
        // the record's body is broken (truncated file, bad gzip member, bad chunking): skip past it
        resync(at);
        return broken(at, "truncated or malformed record: " + message(e));
      }
    }
  }

  private InputEntry broken(long at, String reason) {
    return new InputEntry(0, file + "@" + at, 0, null, reason);
  }

  private static String message(Exception e) {
    return FileEntries.message(e);
  }

  private InputEntry conversion(WarcRecord record, String where, long at) throws IOException {
    if (!(record instanceof WarcConversion conv)) {
      return null;
    }
    byte[] bytes = readBody(record);
    if (record.truncated() != WarcTruncationReason.NOT_TRUNCATED) {
      return new InputEntry(0, where, bytes.length, null, truncatedReason(record));
    }
    HtmlCharset.Decoded text =
        HtmlCharset.decode(bytes, conv.contentType().parameters().getOrDefault("charset", "utf-8"));
    if (!text.ok()) {
      return new InputEntry(0, where, bytes.length, null, text.problem());
    }
    String body = text.text().strip();
    if (body.isEmpty()) {
      return new InputEntry(0, where, bytes.length, null, "empty conversion record");
    }
    Map<String, Object> meta = baseMeta(conv, at);
    meta.put("content_type", conv.contentType().base().toString());
    return new InputEntry(0, where, bytes.length, document(record, body, meta), null);
  }

  private InputEntry response(WarcResponse resp, String where, long at) throws IOException {
    HttpResponse http = resp.http();
    MediaType type = http.contentType();
    String base = type.base().toString().toLowerCase(Locale.ROOT);
    if (http.status() < 200 || http.status() > 299) {
      resp.body().consume();
      return new InputEntry(
          0, where, resp.body().size(), null, "HTTP status " + http.status() + ", not a page");
    }
    boolean html = base.equals("text/html") || base.equals("application/xhtml+xml");
    if (!html) {
      // a missing or generic Content-Type: trust the crawler's identification of the payload
      Optional<MediaType> identified = resp.identifiedPayloadType();
      html =
          (base.equals("application/octet-stream")
                  || !http.headers().first("Content-Type").isPresent())
              && identified.isPresent()
              && identified.get().base().toString().equalsIgnoreCase("text/html");
    }
    if (!html) {
      resp.body().consume();
      return new InputEntry(
          0, where, resp.body().size(), null, "not HTML: content type " + type.base());
    }
    byte[] bytes;
    try (InputStream in = http.bodyDecoded().stream()) {
      bytes = in.readAllBytes();
    }
    if (resp.truncated() != WarcTruncationReason.NOT_TRUNCATED) {
      return new InputEntry(0, where, bytes.length, null, truncatedReason(resp));
    }
    HtmlCharset.Decoded decoded = HtmlCharset.decode(bytes, type.parameters().get("charset"));
    if (!decoded.ok()) {
      return new InputEntry(0, where, bytes.length, null, decoded.problem());
    }
    ExtractedText page = extractor.extract(decoded.text());
    String text = page.text();
    if (text.isEmpty()) {
      return new InputEntry(0, where, bytes.length, null, "no main text found in the HTML");
    }
    Map<String, Object> meta = baseMeta(resp, at);
    meta.put("content_type", type.base().toString());
    meta.put("charset", decoded.charset().name());
    meta.put("charset_source", decoded.source());
    if (!page.title().isEmpty()) {
      meta.put("title", page.title());
    }
    return new InputEntry(0, where, bytes.length, document(resp, text, meta), null);
  }

  private static String truncatedReason(WarcRecord r) {
    return "record truncated by the crawler (WARC-Truncated: "
        + r.headers().first("WARC-Truncated").orElse("unspecified")
        + ")";
  }

  private static byte[] readBody(WarcRecord r) throws IOException {
    try (InputStream in = r.body().stream()) {
      return in.readAllBytes();
    }
  }

  private Map<String, Object> baseMeta(WarcTargetRecord r, long at) {
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("url", r.target());
    meta.put("warc_date", r.date().toString());
    meta.put("warc_file", file.getFileName().toString());
    meta.put("warc_offset", at);
    return meta;
  }

  private static Document document(WarcRecord r, String text, Map<String, Object> meta) {
    String rid = r.headers().first("WARC-Record-ID").orElse("");
    String id;
    if (rid.startsWith("<urn:uuid:") && rid.endsWith(">")) {
      id = rid.substring("<urn:uuid:".length(), rid.length() - 1);
    } else if (!rid.isEmpty()) {
      id = "w" + DocumentIds.fromContent(rid).substring(1);
    } else {
      id = DocumentIds.fromContent(text);
    }
    return new Document(id, text, null, meta);
  }

  /**
   * Moves the reader to the first record start after {@code failedAt}: the next gzip member header
   * ({@code 1f 8b 08}) in a compressed file, else the next line starting {@code WARC/}; to the end
   * of the file if there is none.
   */
  private void resync(long failedAt) throws IOException {
    boolean gzip = reader.compression() == WarcCompression.GZIP;
    byte[] magic =
        gzip ? new byte[] {0x1f, (byte) 0x8b, 0x08} : "\nWARC/".getBytes(StandardCharsets.US_ASCII);
    long size = channel.size();
    long pos = failedAt + 1;
    ByteBuffer buf = ByteBuffer.allocate(1 << 16);
    long found = -1;
    while (pos < size && found < 0) {
      buf.clear();
      int n = channel.read(buf, pos);
      if (n <= 0) {
        break;
      }
      byte[] a = buf.array();
      for (int i = 0; i + magic.length <= n; i++) {
        int k = 0;
        while (k < magic.length && a[i + k] == magic[k]) {
          k++;
        }
        if (k == magic.length) {
          found = pos + i + (gzip ? 0 : 1);
          break;
        }
      }
      if (n < magic.length) {
        break;
      }
      pos += n - magic.length + 1;
    }
    reader.position(found < 0 ? size : found);
  }

  @Override
  public void close() throws IOException {
    reader.close();
    channel.close();
  }
}
