package dev.winnow.jobs.curation.select;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Budgeted selection in the stream (the last stage before the sinks): keeps about {@code fraction}
 * of the documents (or tokens) with the best score, or samples by the score without replacement
 * (Gumbel top-k, for DSIR log-weights), optionally with per-source mixture weights and a hard cap.
 * The threshold comes from a bounded reservoir sample of the scores seen so far ({@link
 * dev.winnow.selection.budget.StreamingBudgetSelector}); the first {@code warmup} documents are
 * held (in checkpointed state) until the first estimate. Every dropped document goes to {@code
 * rejected} with stage {@code select}, rule {@code below budget}, its score and the threshold; a
 * document without the score goes there with rule {@code missing score}. Runs as one subtask, so
 * fractions, shares and the cap hold for the whole stream.
 */
public class SelectSection implements Serializable {
  private static final long serialVersionUID = 1L;
  public boolean enabled = false;

  /**
   * The score to rank by: a path into the document's metadata ({@code meta.quality}, {@code
   * meta.stats.score}), or under {@code meta.winnow.} into what the job attached ({@code
   * meta.winnow.score.ppl}, {@code meta.winnow.dsir.log_weight}).
   */
  public String scoreField = "meta.winnow.score.ppl";

  /** Rank by the negated score (perplexity: lower is better). */
  public boolean lowerIsBetter = true;

  /**
   * {@code top-k} (best first) or {@code gumbel} (sample proportional to exp(score / temperature)).
   */
  public String method = "top-k";

  /** Gumbel temperature. */
  public double temperature = 1.0;

  /** Seed of the Gumbel noise and of the reservoir. */
  public long seed = 0;

  /** What the budget counts: {@code documents} or {@code tokens}. */
  public String unit = "documents";

  /** Share of the stream's units to keep, in (0, 1]; 1 keeps everything that has the score. */
  public double fraction = 1.0;

  /** Hard cap on kept units over the whole run; -1 = none. */
  public long maxUnits = -1;

  /**
   * Token count of a document for token budgets: a path like {@link #scoreField}; absent =
   * tokenized with {@code score.model}.
   */
  public String tokensField = "meta.winnow.score.tokens";

  /**
   * Per-source mixture weights (source -> weight); empty = one pool. A source not listed gets no
   * share.
   */
  public Map<String, Double> sourceWeights = new LinkedHashMap<>();

  /** Reservoir sample size (per source) for the threshold estimate. */
  public int reservoirSize = 10_000;

  /** Documents held (per source) until the first estimate; at most reservoirSize. */
  public int warmup = 1_000;

  /** Documents between threshold re-estimates. */
  public int refreshEvery = 256;

  /** The selector's settings; throws naming the {@code select.*} field that is out of range. */
  public dev.winnow.selection.budget.BudgetConfig budget() {
    dev.winnow.selection.budget.BudgetConfig b = new dev.winnow.selection.budget.BudgetConfig();
    b.unit =
        switch (unit) {
          case "documents" -> dev.winnow.selection.budget.BudgetConfig.Unit.DOCUMENTS;
          case "tokens" -> dev.winnow.selection.budget.BudgetConfig.Unit.TOKENS;
          default ->
              throw new IllegalArgumentException(
                  "illegal config value for select.unit: value \""
                      + unit
                      + "\" must be one of documents, tokens");
        };
    b.method =
        switch (method) {
          case "top-k" -> dev.winnow.selection.budget.BudgetConfig.Method.TOP_K;
          case "gumbel" -> dev.winnow.selection.budget.BudgetConfig.Method.GUMBEL_TOP_K;
          default ->
              throw new IllegalArgumentException(
                  "illegal config value for select.method: value \""
                      + method
                      + "\" must be one of top-k, gumbel");
        };
    b.fraction = fraction;
    b.budget = maxUnits;
    b.temperature = temperature;
    b.seed = seed;
    b.sourceWeights =
        sourceWeights == null || sourceWeights.isEmpty()
            ? null
            : new LinkedHashMap<>(sourceWeights);
    b.reservoirSize = reservoirSize;
    b.warmup = warmup;
    b.refreshEvery = refreshEvery;
    b.validate("select");
    return b;
  }
}
