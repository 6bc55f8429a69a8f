package dev.winnow.selection.budget;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Budgeted selection over a bounded input: keeps the best candidates (by score, or by
 * Gumbel-perturbed score to sample by weight without replacement) until the document or token
 * budget is spent, per source when mixture weights are given.
 *
 * <p>Rule: candidates of a pool (the whole input, or one source) are ranked by key, highest first,
 * ties by input order; the kept set is the longest prefix of that ranking that fits the pool's
 * budget. With a token budget the prefix stops at the first candidate that does not fit, so every
 * dropped candidate ranks below every kept one of its pool (a smaller later document is not
 * squeezed in): the decision is a threshold on the key, the same decision the streaming selector
 * estimates. A source's share is {@code floor(budget × w_s / Σw)} units; a share a source cannot
 * fill is not handed to other sources.
 *
 * <pre>{@code
 * BudgetConfig c = new BudgetConfig();
 * c.budget = 1000;                                   // documents
 * List<Decision> d = new BudgetSelector(c).select(candidates);   // in input order
 * }</pre>
 */
public final class BudgetSelector {
  private final BudgetConfig config;
  private final SelectionKeys keys;

  public BudgetSelector(BudgetConfig config) {
    config.validate("selection.budget");
    this.config = config;
    this.keys = new SelectionKeys(config);
  }

  /** One decision per candidate, in input order. */
  public List<Decision> select(List<Candidate> candidates) {
    int n = candidates.size();
    double[] key = new double[n];
    Map<String, List<Integer>> pools = new LinkedHashMap<>();
    Map<String, Double> shares = config.shares();
    for (int i = 0; i < n; i++) {
      Candidate c = candidates.get(i);
      key[i] = keys.key(c);
      pools.computeIfAbsent(shares == null ? "" : c.source(), s -> new ArrayList<>()).add(i);
    }
    long totalUnits = 0;
    for (Candidate c : candidates) {
      totalUnits += units(c);
    }
    long budget =
        config.budget >= 0 ? config.budget : (long) Math.floor(config.fraction * totalUnits);
    boolean[] kept = new boolean[n];
    double[] threshold = new double[n];
    Arrays.fill(threshold, Double.POSITIVE_INFINITY);
    for (Map.Entry<String, List<Integer>> pool : pools.entrySet()) {
      long poolBudget =
          shares == null
              ? budget
              : (long) Math.floor(budget * shares.getOrDefault(pool.getKey(), 0.0));
      List<Integer> ranked = new ArrayList<>(pool.getValue());
      ranked.sort(Comparator.comparingDouble((Integer i) -> -key[i]).thenComparingInt(i -> i));
      long used = 0;
      double lowestKept = Double.POSITIVE_INFINITY;
      for (int i : ranked) {
        long u = units(candidates.get(i));
        if (used + u > poolBudget) {
          break;
        }
        used += u;
        kept[i] = true;
        lowestKept = key[i];
      }
      for (int i : pool.getValue()) {
        threshold[i] = lowestKept;
      }
    }
    List<Decision> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(new Decision(candidates.get(i), kept[i], key[i], threshold[i]));
    }
    return out;
  }

  private long units(Candidate c) {
    return config.unit == BudgetConfig.Unit.TOKENS ? c.tokens() : 1;
  }
}
