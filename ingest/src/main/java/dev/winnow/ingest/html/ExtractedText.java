package dev.winnow.ingest.html;

import java.util.List;

/**
 * What {@link MainTextExtractor} found on a page.
 *
 * @param title the page's title (its {@code h1} when the {@code <title>} contains it, else the
 *     {@code <title>}, else {@code og:title}), possibly empty
 * @param paragraphs the main text's blocks in document order, each whitespace-normalized
 */
public record ExtractedText(String title, List<String> paragraphs) {
  public ExtractedText {
    paragraphs = List.copyOf(paragraphs);
  }

  /** The title and the paragraphs, separated by blank lines; empty when there is no main text. */
  public String text() {
    if (paragraphs.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    if (!title.isEmpty()) {
      sb.append(title).append("\n\n");
    }
    sb.append(String.join("\n\n", paragraphs));
    return sb.toString();
  }
}
