package dev.winnow.prompt.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.prompt.InvalidRequestException;
import dev.winnow.prompt.ReferenceCases;
import dev.winnow.prompt.model.ProxyLm;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Selection over a real pool of 150 news demonstrations plus three copies of one input under other
 * ids.
 */
class DemonstrationSelectorTest {
  @TempDir static Path dir;
  private static ProxyLm lm;
  private static DemonstrationPool pool;
  private static List<Demonstration> demos;
  private static final String COPIED =
      "Wheat growers in the Riverina say a late frost has cut yields by a third, "
          + "and prices for the remaining grain are expected to rise.";

  @BeforeAll
  static void build() {
    lm = ReferenceCases.proxyMini();
    pool = DemonstrationPool.open(dir, new DemonstrationEmbedder(lm, 64));
    demos = new ArrayList<>(NewsDemonstrations.load(0, 150));
    for (int i = 0; i < 3; i++) {
      demos.add(
          new Demonstration("copy-" + i, COPIED, "Frost cuts Riverina wheat yields", null)
              .validated("d"));
    }
    pool.upsert(demos);
  }

  @AfterAll
  static void close() {
    pool.close();
    lm.close();
  }

  private static SelectionRequest request(String query, int k, String method) {
    SelectionRequest r = new SelectionRequest();
    r.query = query;
    r.k = k;
    r.method = method;
    return r;
  }

  private static List<String> ids(List<SelectedDemonstration> selected) {
    return selected.stream().map(SelectedDemonstration::id).toList();
  }

  @ParameterizedTest
  @CsvSource({"knn", "bm25", "hybrid"})
  void deterministicAndMostSimilarLast(String method) {
    Demonstration target = demos.get(42);
    List<SelectedDemonstration> a =
        DemonstrationSelector.select(pool, request(target.input(), 6, method));
    List<SelectedDemonstration> b =
        DemonstrationSelector.select(pool, request(target.input(), 6, method));
    assertEquals(6, a.size());
    assertEquals(a, b, "same query, same pool: same answer");
    assertEquals(
        target.id(),
        a.get(5).id(),
        "the demonstration with the query as input is most similar: last");
    for (int i = 1; i < a.size(); i++) {
      assertTrue(a.get(i - 1).score() <= a.get(i).score(), "ascending relevance: " + a);
    }
    SelectionRequest first = request(target.input(), 6, method);
    first.order = "most_similar_first";
    List<String> reversed = new ArrayList<>(ids(a));
    java.util.Collections.reverse(reversed);
    assertEquals(reversed, ids(DemonstrationSelector.select(pool, first)));
  }

  @Test
  void hybridFusesRanks() {
    Demonstration target = demos.get(7);
    List<SelectedDemonstration> hybrid =
        DemonstrationSelector.select(pool, request(target.input(), 3, "hybrid"));
    assertEquals(target.id(), hybrid.get(2).id());
    assertEquals(2.0 / 61, hybrid.get(2).score(), 1e-12, "rank 1 in both lists: 1/61 + 1/61");
  }

  @Test
  void mmrTradesRelevanceForDiversity() {
    String query = COPIED + " Farmers hope for rain.";
    long copiesPlain =
        DemonstrationSelector.select(pool, request(query, 5, "knn")).stream()
            .filter(d -> d.id().startsWith("copy-"))
            .count();
    assertEquals(3, copiesPlain, "without MMR the three identical inputs are the three nearest");

    SelectionRequest relevanceOnly = request(query, 5, "knn");
    relevanceOnly.lambda = 1.0;
    assertEquals(
        ids(DemonstrationSelector.select(pool, request(query, 5, "knn"))),
        ids(DemonstrationSelector.select(pool, relevanceOnly)),
        "λ = 1 is plain relevance");

    for (String method : List.of("knn", "bm25", "hybrid")) {
      SelectionRequest diverse = request(query, 5, method);
      diverse.lambda = 0.0;
      List<SelectedDemonstration> picked = DemonstrationSelector.select(pool, diverse);
      assertEquals(5, picked.size());
      assertEquals(
          1,
          picked.stream().filter(d -> d.id().startsWith("copy-")).count(),
          method
              + ", λ = 0: after one copy, its identical twins are the most redundant: "
              + ids(picked));
    }
  }

  @Test
  void tokenBudgetIsNeverExceeded() {
    Demonstration target = demos.get(99);
    List<SelectedDemonstration> ranked =
        DemonstrationSelector.select(pool, request(target.input(), 50, "knn"));
    int smallest = ranked.stream().mapToInt(SelectedDemonstration::tokens).min().orElseThrow();
    for (int budget : List.of(smallest, 2 * smallest + 10, 300, 1000)) {
      SelectionRequest r = request(target.input(), 8, "knn");
      r.tokenBudget = budget;
      List<SelectedDemonstration> picked = DemonstrationSelector.select(pool, r);
      int used = picked.stream().mapToInt(SelectedDemonstration::tokens).sum();
      assertTrue(!picked.isEmpty() && used <= budget, "budget " + budget + ": used " + used);
      // greedy in relevance order: the most relevant demonstration that fits alone is always picked
      String expectedBest =
          ranked.stream()
              .sorted((x, y) -> Double.compare(y.score(), x.score()))
              .filter(d -> d.tokens() <= budget)
              .findFirst()
              .orElseThrow()
              .id();
      assertTrue(ids(picked).contains(expectedBest), "budget " + budget + ": " + ids(picked));
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "0|knn||most_similar_last|k",
        "1001|knn||most_similar_last|k",
        "4|dense||most_similar_last|method",
        "4|knn|1.5|most_similar_last|lambda",
        "4|knn|-0.1|most_similar_last|lambda",
        "4|knn||random|order"
      })
  void badRequestsNameTheField(int k, String method, Double lambda, String order, String field) {
    SelectionRequest r = request("some query", k, method);
    r.lambda = lambda;
    r.order = order;
    InvalidRequestException e =
        assertThrows(InvalidRequestException.class, () -> DemonstrationSelector.select(pool, r));
    assertEquals(field, e.field());
  }

  @Test
  void blankQueryAndBadBudgetAreRejected() {
    assertEquals(
        "query",
        assertThrows(
                InvalidRequestException.class,
                () -> DemonstrationSelector.select(pool, request("  ", 3, "knn")))
            .field());
    SelectionRequest r = request("q", 3, "knn");
    r.tokenBudget = 0;
    assertEquals(
        "token_budget",
        assertThrows(InvalidRequestException.class, () -> DemonstrationSelector.select(pool, r))
            .field());
  }
}
