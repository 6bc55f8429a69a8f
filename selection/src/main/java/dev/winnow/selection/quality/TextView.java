package dev.winnow.selection.quality;

import java.util.Collections;
import java.util.List;

/**
 * One document's text with the views the filters share, each computed on first use and then cached:
 * the word tokens ({@link WordTokenizer}) with their lengths in code points, and the lines (Python
 * {@code splitlines} semantics). {@link QualityPipeline} builds one view per document so a text is
 * tokenized once however many filters read it. Not thread-safe: a view belongs to the one thread
 * that processes its document.
 */
public final class TextView {

  private final String text;
  private int length = -1;
  private String[] words;
  private int[] wordLengths;
  private List<String> lines;
  private final boolean splitInfixHyphens;

  public TextView(String text) {
    this(text, false);
  }

  /**
   * A view whose words split infix hyphens as spaCy's English tokenizer does ({@link
   * WordTokenizer#tokenize(String, boolean)}), for preset {@code datatrove-0.10}.
   */
  public TextView(String text, boolean splitInfixHyphens) {
    if (text == null) {
      throw new IllegalArgumentException("document text must not be null");
    }
    this.text = text;
    this.splitInfixHyphens = splitInfixHyphens;
  }

  /** Whether the words split infix hyphens (preset {@code datatrove-0.10}). */
  boolean splitsInfixHyphens() {
    return splitInfixHyphens;
  }

  /** The document text. */
  public String text() {
    return text;
  }

  /** The word tokens, in order (unmodifiable). */
  public List<String> words() {
    return Collections.unmodifiableList(java.util.Arrays.asList(wordArray()));
  }

  /** The lines as Python's {@code str.splitlines()} gives them (unmodifiable). */
  public List<String> lines() {
    if (lines == null) {
      lines = Collections.unmodifiableList(PyText.splitlines(text));
    }
    return lines;
  }

  /** The text length in code points (Python's {@code len}). */
  int length() {
    if (length < 0) {
      length = PyText.len(text);
    }
    return length;
  }

  String[] wordArray() {
    if (words == null) {
      words = WordTokenizer.tokenize(text, splitInfixHyphens).toArray(new String[0]);
    }
    return words;
  }

  /** The length in code points of each word of {@link #wordArray()}. */
  int[] wordLengths() {
    if (wordLengths == null) {
      String[] w = wordArray();
      int[] lens = new int[w.length];
      for (int i = 0; i < w.length; i++) {
        lens[i] = PyText.len(w[i]);
      }
      wordLengths = lens;
    }
    return wordLengths;
  }
}
