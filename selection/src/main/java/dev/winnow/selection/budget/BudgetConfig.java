package dev.winnow.selection.budget;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Settings of budgeted selection ({@link BudgetSelector}, {@link StreamingBudgetSelector}). Public
 * mutable fields so a YAML/JSON binder can fill them.
 *
 * <p>The budget is either absolute ({@link #budget} documents or tokens) or relative ({@link
 * #fraction} of the input's documents or tokens); set exactly one. The streaming selector needs the
 * fraction (it does not know the input size) and treats an absolute budget, when also given, as a
 * hard cap.
 */
public class BudgetConfig implements Serializable {

  private static final long serialVersionUID = 1L;

  /** What a budget counts. */
  public enum Unit {
    DOCUMENTS,
    TOKENS
  }

  /** How candidates are ranked. */
  public enum Method {
    /** Best score first (deterministic). */
    TOP_K,
    /**
     * Sampling without replacement with probability proportional to {@code exp(score/τ)}: rank by
     * {@code score/τ + Gumbel(0, 1)} (the Gumbel top-k trick, Kool et al. 2019), which for DSIR
     * log-weights is DSIR's importance resampling.
     */
    GUMBEL_TOP_K
  }

  public Unit unit = Unit.DOCUMENTS;

  /** Absolute budget in {@link #unit}s; -1 when {@link #fraction} is used. */
  public long budget = -1;

  /** Relative budget in (0, 1] of the input's units; NaN when {@link #budget} is used. */
  public double fraction = Double.NaN;

  public Method method = Method.TOP_K;

  /**
   * Temperature τ of Gumbel sampling (&gt; 0): small τ approaches top-k, large τ uniform sampling.
   */
  public double temperature = 1.0;

  /** Seed of the Gumbel noise. */
  public long seed = 0L;

  /**
   * Per-source mixture weights: the budget is split across the listed sources in proportion to
   * their weights and each source is selected within its share. A source not listed gets no share
   * (all its documents are dropped). Null or empty: one pool, no per-source shares.
   */
  public Map<String, Double> sourceWeights = null;

  /** Streaming: reservoir sample size per source for the threshold estimate. */
  public int reservoirSize = 10_000;

  /** Streaming: documents held back (per source) until the first threshold estimate. */
  public int warmup = 1_000;

  /** Streaming: offers between threshold re-estimates (per source). */
  public int refreshEvery = 256;

  public void validate(String path) {
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException("config path must not be blank");
    }
    notNull(path, "unit", unit);
    notNull(path, "method", method);
    boolean hasBudget = budget >= 0;
    boolean hasFraction = !Double.isNaN(fraction);
    if (budget < -1) {
      throw bad(path, "budget", Long.toString(budget), ">= 0 (or -1 with a fraction)");
    }
    if (hasFraction && !(fraction > 0 && fraction <= 1)) {
      throw bad(path, "fraction", Double.toString(fraction), "in (0, 1]");
    }
    if (!hasBudget && !hasFraction) {
      throw new IllegalArgumentException(
          path + ": set a budget (" + path + ".budget) or a fraction (" + path + ".fraction)");
    }
    if (!(temperature > 0 && Double.isFinite(temperature))) {
      throw bad(path, "temperature", Double.toString(temperature), "a finite number > 0");
    }
    if (sourceWeights != null) {
      for (Map.Entry<String, Double> e : sourceWeights.entrySet()) {
        Double w = e.getValue();
        if (w == null || !(w >= 0 && Double.isFinite(w))) {
          throw bad(
              path, "sourceWeights[" + e.getKey() + "]", String.valueOf(w), "a finite number >= 0");
        }
      }
      if (!sourceWeights.isEmpty()
          && sourceWeights.values().stream().mapToDouble(Double::doubleValue).sum() <= 0) {
        throw new IllegalArgumentException(
            path + ".sourceWeights: at least one weight must be > 0");
      }
    }
    if (reservoirSize < 1) {
      throw bad(path, "reservoirSize", Integer.toString(reservoirSize), ">= 1");
    }
    if (warmup < 1 || warmup > reservoirSize) {
      throw bad(
          path, "warmup", Integer.toString(warmup), "1 to reservoirSize (" + reservoirSize + ")");
    }
    if (refreshEvery < 1) {
      throw bad(path, "refreshEvery", Integer.toString(refreshEvery), ">= 1");
    }
  }

  /** Normalized shares of the listed sources (summing to 1), or null for one pool. */
  Map<String, Double> shares() {
    if (sourceWeights == null || sourceWeights.isEmpty()) {
      return null;
    }
    double sum = sourceWeights.values().stream().mapToDouble(Double::doubleValue).sum();
    Map<String, Double> out = new LinkedHashMap<>();
    sourceWeights.forEach((s, w) -> out.put(s, w / sum));
    return out;
  }

  private static void notNull(String path, String field, Object v) {
    if (v == null) {
      throw new IllegalArgumentException(path + "." + field + " must not be null");
    }
  }

  private static IllegalArgumentException bad(
      String path, String field, String value, String range) {
    return new IllegalArgumentException(
        path + "." + field + " = " + value + " is out of range: must be " + range);
  }
}
