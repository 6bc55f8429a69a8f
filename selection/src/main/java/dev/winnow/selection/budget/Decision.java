package dev.winnow.selection.budget;

/**
 * What budgeted selection did with one candidate.
 *
 * @param candidate the candidate
 * @param kept whether it is selected
 * @param key the value it was ranked by: the score for top-k, score/τ plus Gumbel noise for
 *     sampling
 * @param threshold the key a candidate of its source needed to be kept (the lowest kept key; for
 *     streaming, the estimate at decision time); {@code +∞} when nothing of its source is kept
 */
public record Decision(Candidate candidate, boolean kept, double key, double threshold) {
  /** The reason recorded for every dropped document. */
  public static final String BELOW_BUDGET = "below budget";

  /** {@link #BELOW_BUDGET} when dropped, null when kept. */
  public String reason() {
    return kept ? null : BELOW_BUDGET;
  }
}
