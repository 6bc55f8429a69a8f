package dev.winnow.prompt.pool;

import dev.winnow.prompt.InvalidRequestException;
import java.util.Locale;

/** How candidate demonstrations are found. */
public enum SelectionMethod {
  /**
   * KATE (Liu et al., 2022): k nearest inputs by cosine of the proxy model's embeddings, through
   * HNSW.
   */
  KNN,
  /** Okapi BM25 of the query's terms against the inputs. */
  BM25,
  /**
   * Both lists fused by reciprocal rank (Cormack et al., SIGIR 2009): score = Σ 1 / (60 + rank), so
   * neither score scale dominates.
   */
  HYBRID;

  public static SelectionMethod parse(String field, String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new InvalidRequestException(
          field, "illegal value \"" + name + "\": must be knn, bm25 or hybrid");
    }
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
