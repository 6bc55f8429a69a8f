package dev.winnow.jobs.curation.scoring;

import dev.winnow.jobs.config.ModelCalls;

/**
 * Proxy-model perplexity of every kept document, attached as {@code meta.winnow.score} ({@code
 * tokens}, {@code mean_nll}, {@code ppl}, {@code ppl_word}, {@code model}) so selection can be
 * re-run without re-scoring. Documents are batched (by count and by time) into shared scorer calls,
 * one model per TaskManager JVM; long documents are scored in overlapping windows of the model's
 * context.
 */
public class ScoreSection extends ModelCalls {
  private static final long serialVersionUID = 1L;
  public boolean enabled = false;
}
