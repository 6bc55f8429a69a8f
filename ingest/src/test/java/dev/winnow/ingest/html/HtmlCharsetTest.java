package dev.winnow.ingest.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HtmlCharsetTest {
  static final String RUSSIAN =
      "Всеобщая декларация прав человека. Все люди рождаются свободными и равными в своем"
          + " достоинстве и правах. Они наделены разумом и совестью и должны поступать в отношении"
          + " друг друга в духе братства.";

  @Test
  void headerCharsetWins() {
    byte[] b =
        ("<html><head><meta charset=utf-8></head><body>" + RUSSIAN + "</body></html>")
            .getBytes(Charset.forName("windows-1251"));
    HtmlCharset.Decoded d = HtmlCharset.decode(b, "windows-1251");
    assertEquals("header", d.source());
    assertTrue(d.text().contains(RUSSIAN));
    assertTrue(d.ok());
  }

  @Test
  void metaCharsetIsUsedWithoutAHeader() {
    byte[] b =
        ("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=KOI8-R\"></head><body>"
                + RUSSIAN
                + "</body></html>")
            .getBytes(Charset.forName("KOI8-R"));
    HtmlCharset.Decoded d = HtmlCharset.decode(b, null);
    assertEquals("meta", d.source());
    assertEquals("KOI8-R", d.charset().name());
    assertTrue(d.text().contains(RUSSIAN));
  }

  @Test
  void undeclaredCharsetIsDetected() {
    String page = "<html><body><p>" + RUSSIAN + " " + RUSSIAN + "</p></body></html>";
    HtmlCharset.Decoded d =
        HtmlCharset.decode(page.getBytes(Charset.forName("windows-1251")), null);
    assertEquals("detected", d.source());
    assertEquals("windows-1251", d.charset().name());
    assertTrue(d.text().contains(RUSSIAN));

    HtmlCharset.Decoded u = HtmlCharset.decode(page.getBytes(StandardCharsets.UTF_8), null);
    assertEquals(StandardCharsets.UTF_8, u.charset());
    assertTrue(u.text().contains(RUSSIAN));
  }

  @Test
  void unknownDeclaredCharsetFallsThroughToTheNextSource() {
    byte[] b =
        "<html><meta charset=\"no-such-charset\"><body>plain</body></html>"
            .getBytes(StandardCharsets.US_ASCII);
    HtmlCharset.Decoded d = HtmlCharset.decode(b, "x-bogus-42");
    assertEquals("detected", d.source());
    assertTrue(d.ok());
  }

  @Test
  void bytesThatDoNotDecodeInTheDeclaredCharsetAreNotOk() {
    // Latin-1 bytes that are invalid UTF-8 almost everywhere, declared as UTF-8
    byte[] b = "ÀÉÎÕÜ àéîõü ÀÉÎÕÜ àéîõü ÀÉÎÕÜ".repeat(20).getBytes(StandardCharsets.ISO_8859_1);
    HtmlCharset.Decoded d = HtmlCharset.decode(b, "utf-8");
    assertFalse(d.ok());
    assertTrue(
        d.problem().startsWith("payload does not decode as UTF-8 (charset from header)"),
        d.problem());
  }

  @Test
  void aFewBadBytesAreReplacedAndCounted() {
    byte[] good =
        ("<p>" + "a fine sentence of text. ".repeat(40) + "</p>").getBytes(StandardCharsets.UTF_8);
    byte[] b = new byte[good.length + 1];
    System.arraycopy(good, 0, b, 0, 10);
    b[10] = (byte) 0xff;
    System.arraycopy(good, 10, b, 11, good.length - 10);
    HtmlCharset.Decoded d = HtmlCharset.decode(b, "utf-8");
    assertEquals(1, d.replaced());
    assertTrue(d.ok());
    assertTrue(d.text().contains("\uFFFD"));
  }
}
