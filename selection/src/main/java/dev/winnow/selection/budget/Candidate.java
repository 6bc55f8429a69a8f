package dev.winnow.selection.budget;

/**
 * A document offered to budgeted selection: what selection needs of it, not the document itself.
 *
 * @param id the document id (also seeds its Gumbel noise, so a decision does not depend on arrival
 *     order)
 * @param source the source used for mixture weights; null counts as the source {@code ""}
 * @param score the score to rank by, higher is better (for Gumbel sampling: the DSIR log-weight)
 * @param tokens the document's size in the budget's unit of tokens (ignored for document budgets),
 *     {@code >= 0}
 */
public record Candidate(String id, String source, double score, long tokens)
    implements java.io.Serializable {
  public Candidate {
    if (id == null) {
      throw new IllegalArgumentException("candidate id must not be null");
    }
    if (Double.isNaN(score)) {
      throw new IllegalArgumentException(
          "candidate " + id + " has a NaN score: score it, or route it before selection");
    }
    if (tokens < 0) {
      throw new IllegalArgumentException(
          "candidate " + id + " has " + tokens + " tokens: must be >= 0");
    }
    source = source == null ? "" : source;
  }
}
