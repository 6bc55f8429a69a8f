package dev.winnow.prompt.pool;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Chooses demonstrations for a query from a pool.
 *
 * <ol>
 *   <li><b>Candidates</b>: the {@code max(4k, 50)} best by the method: HNSW cosine (KATE), BM25, or
 *       both fused by reciprocal rank ({@link SelectionMethod#HYBRID}).
 *   <li><b>Greedy pick</b>, up to {@code k}: without {@code lambda}, in relevance order; with it,
 *       by maximal marginal relevance (Carbonell and Goldstein, SIGIR 1998): {@code λ · rel(d) − (1
 *       − λ) · max_{s ∈ picked} cos(d, s)}, where {@code rel} is the cosine to the query for knn
 *       and the score scaled to [0, 1] over the candidates for bm25 and hybrid (their scales are
 *       not cosines). A candidate that would take the picked demonstrations over {@code
 *       token_budget} is passed over and the next one tried.
 *   <li><b>Order</b>: by relevance, most similar last (default) or first.
 * </ol>
 *
 * Deterministic: every ranking breaks ties by id, and the pool's searches are deterministic.
 */
public final class DemonstrationSelector {
  /** Reciprocal-rank-fusion constant of Cormack et al. */
  static final int RRF_K = 60;

  private DemonstrationSelector() {}

  /**
   * Validates the request and selects, embedding the query with the pool's embedder when needed.
   */
  public static List<SelectedDemonstration> select(
      DemonstrationPool pool, SelectionRequest request) {
    return select(pool, request, pool.embedder()::embed);
  }

  /**
   * As {@link #select(DemonstrationPool, SelectionRequest)}, with the query embedded by {@code
   * embed}.
   */
  public static List<SelectedDemonstration> select(
      DemonstrationPool pool, SelectionRequest request, Function<String, float[]> embed) {
    request.validate();
    SelectionMethod method = request.selectionMethod();
    int k = request.k;
    int m = Math.max(4 * k, 50);
    List<PoolHit> candidates;
    Map<String, Double> relevance = new HashMap<>();
    switch (method) {
      case KNN -> {
        candidates = pool.knn(embed.apply(request.query), m, request.candidates);
        candidates.forEach(h -> relevance.put(h.id(), h.score()));
      }
      case BM25 -> {
        candidates = pool.bm25(request.query, m);
        candidates.forEach(h -> relevance.put(h.id(), h.score()));
      }
      default -> {
        List<PoolHit> dense = pool.knn(embed.apply(request.query), m, request.candidates);
        List<PoolHit> lexical = pool.bm25(request.query, m);
        Map<String, PoolHit> byId = new LinkedHashMap<>();
        for (List<PoolHit> list : List.of(dense, lexical)) {
          for (int rank = 0; rank < list.size(); rank++) {
            PoolHit h = list.get(rank);
            byId.putIfAbsent(h.id(), h);
            relevance.merge(h.id(), 1.0 / (RRF_K + rank + 1), Double::sum);
          }
        }
        candidates = new ArrayList<>(byId.values());
      }
    }
    Comparator<PoolHit> byRelevance =
        Comparator.<PoolHit>comparingDouble(h -> relevance.get(h.id()))
            .reversed()
            .thenComparing(PoolHit::id);
    List<PoolHit> remaining = new ArrayList<>(candidates);
    remaining.sort(byRelevance);
    Map<String, Double> mmrRelevance =
        request.lambda == null
            ? relevance
            : method == SelectionMethod.KNN ? relevance : scaled(relevance);

    List<PoolHit> picked = new ArrayList<>();
    long budgetLeft = request.tokenBudget == null ? Long.MAX_VALUE : request.tokenBudget;
    while (picked.size() < k && !remaining.isEmpty()) {
      int best = 0;
      if (request.lambda != null && !picked.isEmpty()) {
        double bestValue = Double.NEGATIVE_INFINITY;
        for (int i = 0;
            i < remaining.size();
            i++) { // remaining is in relevance order: the first max wins ties
          PoolHit h = remaining.get(i);
          double redundancy = Double.NEGATIVE_INFINITY;
          for (PoolHit p : picked) {
            redundancy = Math.max(redundancy, DemonstrationEmbedder.dot(h.vector(), p.vector()));
          }
          double value =
              request.lambda * mmrRelevance.get(h.id()) - (1 - request.lambda) * redundancy;
          if (value > bestValue) {
            bestValue = value;
            best = i;
          }
        }
      }
      PoolHit h = remaining.remove(best);
      if (h.tokens() <= budgetLeft) {
        picked.add(h);
        budgetLeft -= h.tokens();
      }
    }
    Comparator<SelectedDemonstration> order =
        Comparator.comparingDouble(SelectedDemonstration::score)
            .thenComparing(SelectedDemonstration::id, Comparator.reverseOrder());
    if (request.demonstrationOrder() == DemonstrationOrder.MOST_SIMILAR_FIRST) {
      order = order.reversed();
    }
    return picked.stream()
        .map(h -> SelectedDemonstration.of(h, relevance.get(h.id())))
        .sorted(order)
        .toList();
  }

  /** Min-max scaling to [0, 1]; all equal → 1. */
  private static Map<String, Double> scaled(Map<String, Double> scores) {
    double min = scores.values().stream().mapToDouble(Double::doubleValue).min().orElse(0);
    double max = scores.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
    Map<String, Double> out = new HashMap<>();
    scores.forEach((id, s) -> out.put(id, max > min ? (s - min) / (max - min) : 1.0));
    return out;
  }
}
