package dev.winnow.ingest.html;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mozilla.universalchardet.UniversalDetector;

/**
 * Decodes an HTML payload: the charset comes from the HTTP {@code Content-Type} header, else from
 * the page's own {@code <meta charset>} or {@code <meta http-equiv="Content-Type">} in its first 4
 * KiB (the HTML standard's prescan window is 1 KiB; pages often put a long {@code <head>} before
 * it), else from detection (a byte-order mark, then Mozilla's universal detector through
 * juniversalchardet, then UTF-8 if the bytes are valid UTF-8, else windows-1252, the web's default
 * for undeclared pages). A declared name Java does not know is skipped, as browsers do.
 *
 * <p>Bytes that do not decode are replaced with U+FFFD and counted; a payload where more than 1% of
 * the characters are replacements is {@linkplain Decoded#ok() not decodable}: the declared charset
 * is wrong or the payload is not text.
 */
public final class HtmlCharset {
  /** The share of replaced characters above which a payload counts as undecodable. */
  public static final double MAX_REPLACED_FRACTION = 0.01;

  private static final int PRESCAN_BYTES = 4096;
  private static final Pattern META_CHARSET =
      Pattern.compile(
          "<meta[^>]+charset\\s*=\\s*[\"']?\\s*([A-Za-z0-9._:-]+)", Pattern.CASE_INSENSITIVE);

  private HtmlCharset() {}

  /**
   * The decoded text and how its charset was chosen.
   *
   * @param text the decoded payload (replacement characters where bytes did not decode)
   * @param charset the charset used
   * @param source where it came from: {@code header}, {@code meta}, {@code bom}, {@code detected}
   *     or {@code default}
   * @param replaced how many characters were replaced
   */
  public record Decoded(String text, Charset charset, String source, long replaced) {
    /** Whether at most {@link #MAX_REPLACED_FRACTION} of the characters were replaced. */
    public boolean ok() {
      return replaced <= MAX_REPLACED_FRACTION * Math.max(1, text.length());
    }

    /** Why the payload is not text, for a reject file. */
    public String problem() {
      return String.format(
          Locale.ROOT,
          "payload does not decode as %s (charset from %s): %,d of %,d characters are invalid",
          charset.name(),
          source,
          replaced,
          text.length());
    }
  }

  /**
   * Decodes {@code bytes}.
   *
   * @param headerCharset the {@code charset} parameter of the HTTP {@code Content-Type}, or null
   */
  public static Decoded decode(byte[] bytes, String headerCharset) {
    Charset cs = lookup(headerCharset);
    if (cs != null) {
      return decodeWith(bytes, cs, "header");
    }
    cs = lookup(metaCharset(bytes));
    if (cs != null) {
      return decodeWith(bytes, cs, "meta");
    }
    Charset bom = bom(bytes);
    if (bom != null) {
      return decodeWith(bytes, bom, "bom");
    }
    if (isUtf8(bytes)) {
      return new Decoded(
          new String(bytes, StandardCharsets.UTF_8), StandardCharsets.UTF_8, "detected", 0);
    }
    UniversalDetector detector = new UniversalDetector();
    detector.handleData(bytes, 0, Math.min(bytes.length, 1 << 16));
    detector.dataEnd();
    cs = lookup(detector.getDetectedCharset());
    if (cs != null) {
      return decodeWith(bytes, cs, "detected");
    }
    return decodeWith(bytes, Charset.forName("windows-1252"), "default");
  }

  /** The charset named in a {@code <meta>} tag of the first 4 KiB, or null. */
  static String metaCharset(byte[] bytes) {
    // ASCII-compatible prescan: every charset the web declares in <meta> is ASCII-compatible
    // except UTF-16, which a BOM announces
    String head =
        new String(bytes, 0, Math.min(bytes.length, PRESCAN_BYTES), StandardCharsets.ISO_8859_1);
    Matcher m = META_CHARSET.matcher(head);
    return m.find() ? m.group(1) : null;
  }

  static Charset lookup(String name) {
    if (name == null || name.isBlank()) {
      return null;
    }
    String n = name.trim().toLowerCase(Locale.ROOT);
    // the HTML standard maps these labels to windows-1252 and UTF-8
    if (n.equals("iso-8859-1") || n.equals("latin1") || n.equals("us-ascii") || n.equals("ascii")) {
      n = "windows-1252";
    } else if (n.equals("utf8")) {
      n = "utf-8";
    }
    try {
      return Charset.isSupported(n) ? Charset.forName(n) : null;
    } catch (IllegalArgumentException e) {
      return null; // illegal charset name
    }
  }

  private static Charset bom(byte[] b) {
    if (b.length >= 3 && (b[0] & 0xff) == 0xef && (b[1] & 0xff) == 0xbb && (b[2] & 0xff) == 0xbf) {
      return StandardCharsets.UTF_8;
    }
    if (b.length >= 2 && (b[0] & 0xff) == 0xfe && (b[1] & 0xff) == 0xff) {
      return StandardCharsets.UTF_16BE;
    }
    if (b.length >= 2 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xfe) {
      return StandardCharsets.UTF_16LE;
    }
    return null;
  }

  private static boolean isUtf8(byte[] bytes) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  /** Decodes with replacement, counting the malformed and unmappable inputs. */
  static Decoded decodeWith(byte[] bytes, Charset cs, String source) {
    CharsetDecoder dec =
        cs.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out =
        CharBuffer.allocate(
            Math.max(16, (int) (bytes.length * (double) dec.averageCharsPerByte()) + 16));
    long replaced = 0;
    while (true) {
      CoderResult r = in.hasRemaining() ? dec.decode(in, out, true) : CoderResult.UNDERFLOW;
      if (r.isUnderflow()) {
        dec.flush(out);
        break;
      }
      if (r.isOverflow()) {
        out = grow(out);
      } else {
        // malformed or unmappable: skip the bad bytes, write one replacement character
        in.position(in.position() + r.length());
        if (!out.hasRemaining()) {
          out = grow(out);
        }
        out.put('\uFFFD');
        replaced++;
      }
    }
    out.flip();
    return new Decoded(out.toString(), cs, source, replaced);
  }

  private static CharBuffer grow(CharBuffer out) {
    CharBuffer bigger = CharBuffer.allocate(out.capacity() * 2 + 16);
    out.flip();
    bigger.put(out);
    return bigger;
  }
}
