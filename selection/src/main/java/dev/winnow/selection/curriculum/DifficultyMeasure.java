package dev.winnow.selection.curriculum;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/**
 * Difficulty measures for ordering a curriculum, all "higher is harder".
 *
 * <ul>
 *   <li>{@link #PERPLEXITY}: a proxy model's perplexity, computed elsewhere (kernels) and carried
 *       with the document; text the model finds surprising is harder.
 *   <li>{@link #LENGTH}: number of whitespace-separated words (sentence length in Platanios et
 *       al.).
 *   <li>{@link #COMPRESSION_RATIO}: gzip-compressed size / UTF-8 size (default level); redundant,
 *       repetitive text compresses well (low ratio, easy), varied text does not (high ratio, hard).
 *       Very short texts get ratios above 1 from the gzip header and are ranked hard.
 * </ul>
 */
public enum DifficultyMeasure {
  PERPLEXITY,
  LENGTH,
  COMPRESSION_RATIO;

  /** Measures a text; {@link #PERPLEXITY} cannot be computed here and throws. */
  public double measure(String text) {
    return switch (this) {
      case LENGTH -> words(text);
      case COMPRESSION_RATIO -> compressionRatio(text);
      case PERPLEXITY ->
          throw new UnsupportedOperationException(
              "perplexity comes from a proxy model (kernels' DocumentScorer); pass it with the document");
    };
  }

  /** Maximal runs of non-whitespace characters. */
  public static int words(String text) {
    int words = 0;
    boolean in = false;
    for (int i = 0; i < text.length(); i++) {
      boolean space = Character.isWhitespace(text.charAt(i));
      if (!space && !in) {
        words++;
      }
      in = !space;
    }
    return words;
  }

  /** gzip size / UTF-8 size; NaN for an empty text. */
  public static double compressionRatio(String text) {
    byte[] raw = text.getBytes(StandardCharsets.UTF_8);
    if (raw.length == 0) {
      return Double.NaN;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 2 + 32);
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(raw);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.size() / (double) raw.length;
  }
}
