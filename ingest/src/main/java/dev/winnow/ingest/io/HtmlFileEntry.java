package dev.winnow.ingest.io;

import dev.winnow.ingest.Document;
import dev.winnow.ingest.DocumentIds;
import dev.winnow.ingest.html.ExtractedText;
import dev.winnow.ingest.html.HtmlCharset;
import dev.winnow.ingest.html.MainTextExtractor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A saved HTML page as one document of its main text ({@link MainTextExtractor}); the charset from
 * the page's {@code <meta>} or detection ({@link HtmlCharset}, there is no HTTP header). The id is
 * derived from the extracted text; {@code meta}: {@code path} (relative to the directory it was
 * found in), {@code title}, {@code charset}, {@code charset_source}. A page that does not decode or
 * has no main text is an entry with the reason.
 */
final class HtmlFileEntry implements FileEntries {
  private final Path file;
  private final Path root;
  private boolean done;

  HtmlFileEntry(Path file, Path root) {
    this.file = file;
    this.root = root;
  }

  @Override
  public InputEntry next() throws IOException {
    if (done) {
      return null;
    }
    done = true;
    byte[] raw = Files.readAllBytes(file);
    String where = file.toString();
    HtmlCharset.Decoded decoded = HtmlCharset.decode(raw, null);
    if (!decoded.ok()) {
      return new InputEntry(0, where, raw.length, null, decoded.problem());
    }
    ExtractedText page = new MainTextExtractor().extract(decoded.text());
    String text = page.text();
    if (text.isEmpty()) {
      return new InputEntry(0, where, raw.length, null, "no main text found in the HTML");
    }
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put(
        "path", root == null ? file.getFileName().toString() : root.relativize(file).toString());
    if (!page.title().isEmpty()) {
      meta.put("title", page.title());
    }
    meta.put("charset", decoded.charset().name());
    meta.put("charset_source", decoded.source());
    String source = root == null ? null : root.getFileName().toString();
    return new InputEntry(
        0,
        where,
        raw.length,
        new Document(DocumentIds.fromContent(text), text, source, meta),
        null);
  }

  @Override
  public void close() {}
}
