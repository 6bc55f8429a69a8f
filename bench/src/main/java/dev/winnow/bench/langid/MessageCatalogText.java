package dev.winnow.bench.langid;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Text in a language that is not the UDHR: the translated messages of the software installed on the
 * machine, from the compiled gettext catalogues {@code <locale>/<lang>/LC_MESSAGES/*.mo} (Debian
 * installs them with GTK, GLib, coreutils and the like). Each translation that differs from its
 * original is kept, its {@code printf} conversions, markup tags and mnemonic underscores removed
 * and whitespace collapsed; the messages are joined by spaces in file order. The ISO code lists
 * ({@code iso_*.mo}, names of countries and languages) are left out.
 *
 * <p>This is short, technical text with untranslated identifiers and options in it, so accuracy on
 * it is lower than on running prose; it is the benchmark's check on text that no choice was made
 * on, and its only text for languages without a UDHR file in {@code ../shared/corpora}.
 */
final class MessageCatalogText {
  private static final Pattern CONVERSION =
      Pattern.compile("%(\\d+\\$)?[-+ #0]*\\d*(\\.\\d+)?[lhqjzt]*[a-zA-Z]");
  private static final Pattern TAG = Pattern.compile("<[^>]*>");
  private static final Pattern SPACE = Pattern.compile("\\s+");

  private MessageCatalogText() {}

  /** The catalogue text of {@code lang} under {@code locale}, "" when there is none. */
  static String of(Path locale, String lang) throws IOException {
    Path dir = locale.resolve(lang).resolve("LC_MESSAGES");
    if (!Files.isDirectory(dir)) {
      return "";
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files =
          s.filter(p -> p.getFileName().toString().endsWith(".mo"))
              .filter(p -> !p.getFileName().toString().startsWith("iso_"))
              .sorted()
              .toList();
    }
    StringBuilder sb = new StringBuilder();
    for (Path f : files) {
      for (String m : translations(Files.readAllBytes(f), f)) {
        String t = CONVERSION.matcher(m).replaceAll(" ");
        t = TAG.matcher(t).replaceAll(" ").replace("_", "");
        sb.append(t).append(' ');
      }
    }
    return SPACE.matcher(sb).replaceAll(" ").trim();
  }

  /** The translations of a compiled catalogue (GNU .mo), each plural form apart. */
  static List<String> translations(byte[] mo, Path file) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(mo).order(ByteOrder.LITTLE_ENDIAN);
    if (mo.length < 20) {
      throw new IOException(file + ": not a gettext catalogue (too short)");
    }
    int magic = b.getInt(0);
    if (magic != 0x950412de) {
      b.order(ByteOrder.BIG_ENDIAN);
      if (b.getInt(0) != 0x950412de) {
        throw new IOException(file + ": not a gettext catalogue (bad magic number)");
      }
    }
    int n = b.getInt(8);
    int originals = b.getInt(12);
    int translations = b.getInt(16);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int ol = b.getInt(originals + 8 * i);
      int oo = b.getInt(originals + 8 * i + 4);
      int tl = b.getInt(translations + 8 * i);
      int to = b.getInt(translations + 8 * i + 4);
      if (ol == 0) {
        continue; // the header entry
      }
      String original = new String(mo, oo, ol, StandardCharsets.UTF_8).split("\0", -1)[0];
      for (String t : new String(mo, to, tl, StandardCharsets.UTF_8).split("\0")) {
        if (!t.isEmpty() && !t.equals(original)) {
          out.add(t);
        }
      }
    }
    return out;
  }
}
