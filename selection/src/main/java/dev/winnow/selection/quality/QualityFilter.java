package dev.winnow.selection.quality;

import java.io.Serializable;

/**
 * A heuristic document quality filter. Implementations are immutable and thread-safe; they are
 * {@link Serializable} so a stream processor can ship them to its workers.
 */
public interface QualityFilter extends Serializable {

  /** The stable snake_case name that {@link Rejection#filter()} carries, e.g. {@code "c4"}. */
  String name();

  /** Decides on one document's text. */
  default FilterOutcome apply(String text) {
    return apply(new TextView(text));
  }

  /**
   * Decides on a document through a shared {@link TextView}, so that words, lines and paragraphs
   * are computed once per document however many filters look at them.
   */
  FilterOutcome apply(TextView view);
}
