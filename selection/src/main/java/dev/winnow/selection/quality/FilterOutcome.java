package dev.winnow.selection.quality;

import java.util.Map;

/**
 * What a {@link QualityFilter} decided: the document is {@link Kept} (possibly with rewritten text,
 * as the C4 filter removes lines) or {@link Rejected} with a {@link Rejection}.
 *
 * <pre>{@code
 * FilterOutcome outcome = pipeline.apply(text);
 * if (outcome instanceof FilterOutcome.Kept kept) {
 *     emit(kept.text());
 * } else {
 *     reject(outcome.rejection());
 * }
 * }</pre>
 */
public sealed interface FilterOutcome {

  /** The document goes on with {@code text}; {@code removedLines} counts lines dropped per rule. */
  record Kept(String text, Map<String, Integer> removedLines) implements FilterOutcome {
    public Kept {
      if (text == null) {
        throw new IllegalArgumentException("kept text must not be null");
      }
      removedLines = Map.copyOf(removedLines);
    }
  }

  /** The document is dropped for {@code rejection}. */
  record Rejected(Rejection rejection) implements FilterOutcome {
    public Rejected {
      if (rejection == null) {
        throw new IllegalArgumentException("rejection must not be null");
      }
    }
  }

  /** Kept with unchanged (or rewritten) {@code text} and no removed lines. */
  static FilterOutcome kept(String text) {
    return new Kept(text, Map.of());
  }

  /** Kept with rewritten {@code text} and the count of lines removed per rule. */
  static FilterOutcome kept(String text, Map<String, Integer> removedLines) {
    return new Kept(text, removedLines);
  }

  static FilterOutcome rejected(Rejection rejection) {
    return new Rejected(rejection);
  }

  /** Whether the document was kept. */
  default boolean isKept() {
    return this instanceof Kept;
  }

  /** The kept text; throws {@link IllegalStateException} on a rejection. */
  default String text() {
    if (this instanceof Kept k) {
      return k.text();
    }
    throw new IllegalStateException("document was rejected: " + ((Rejected) this).rejection());
  }

  /** The rejection; throws {@link IllegalStateException} when the document was kept. */
  default Rejection rejection() {
    if (this instanceof Rejected r) {
      return r.rejection();
    }
    throw new IllegalStateException("document was kept, there is no rejection");
  }

  /** Lines removed per rule (C4 only); empty for rejections and for filters that never rewrite. */
  default Map<String, Integer> removedLines() {
    return this instanceof Kept k ? k.removedLines() : Map.of();
  }
}
