package dev.winnow.selection.budget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BudgetSelectorTest {

  private static List<String> keptIds(List<Decision> ds) {
    return ds.stream().filter(Decision::kept).map(d -> d.candidate().id()).toList();
  }

  @Test
  void documentBudgetKeepsTheBestWithTiesByInputOrder() {
    List<Candidate> cs =
        List.of(
            new Candidate("a", "x", 0.5, 10),
            new Candidate("b", "x", 0.9, 10),
            new Candidate("c", "x", 0.7, 10),
            new Candidate("d", "x", 0.7, 10),
            new Candidate("e", "x", 0.1, 10));
    BudgetConfig c = new BudgetConfig();
    c.budget = 2;
    List<Decision> ds = new BudgetSelector(c).select(cs);
    assertEquals(
        List.of("a", "b", "c", "d", "e"),
        ds.stream().map(d -> d.candidate().id()).toList(),
        "input order");
    assertEquals(List.of("b", "c"), keptIds(ds), "c wins the tie with d by coming first");
    Decision d = ds.get(3);
    assertEquals(Decision.BELOW_BUDGET, d.reason());
    assertEquals(0.7, d.key());
    assertEquals(0.7, d.threshold(), "the lowest kept key");
    assertNull(ds.get(1).reason());
    c.budget = 3;
    assertEquals(List.of("b", "c", "d"), keptIds(new BudgetSelector(c).select(cs)));
    c.budget = 0;
    assertEquals(List.of(), keptIds(new BudgetSelector(c).select(cs)));
    c.budget = -1;
    c.fraction = 0.4;
    assertEquals(
        List.of("b", "c"),
        keptIds(new BudgetSelector(c).select(cs)),
        "floor(0.4 × 5) = 2 documents");
  }

  @Test
  void tokenBudgetKeepsTheLongestFittingPrefixOfTheRanking() {
    List<Candidate> cs =
        List.of(
            new Candidate("a", null, 5, 40),
            new Candidate("b", null, 4, 50),
            new Candidate("c", null, 3, 5),
            new Candidate("d", null, 2, 1));
    BudgetConfig c = new BudgetConfig();
    c.unit = BudgetConfig.Unit.TOKENS;
    c.budget = 60;
    // a (40) fits, b (50) would exceed 60: selection stops there; c and d rank below b and are
    // dropped too
    List<Decision> ds = new BudgetSelector(c).select(cs);
    assertEquals(List.of("a"), keptIds(ds));
    assertTrue(ds.stream().filter(d -> !d.kept()).allMatch(d -> d.key() <= d.threshold()));
    c.budget = 95;
    assertEquals(List.of("a", "b", "c"), keptIds(new BudgetSelector(c).select(cs)));
  }

  @Test
  void mixtureWeightsSplitTheBudgetAcrossSources() {
    List<Candidate> cs = new ArrayList<>();
    Random r = new Random(1);
    for (int i = 0; i < 300; i++) {
      String src = i % 3 == 0 ? "news" : i % 3 == 1 ? "web" : "reviews";
      cs.add(
          new Candidate("d" + i, src, src.equals("web") ? 10 + r.nextDouble() : r.nextDouble(), 1));
    }
    BudgetConfig c = new BudgetConfig();
    c.budget = 40;
    c.sourceWeights = Map.of("news", 3.0, "web", 1.0);
    List<Decision> ds = new BudgetSelector(c).select(cs);
    List<Decision> kept = ds.stream().filter(Decision::kept).toList();
    assertEquals(30, kept.stream().filter(d -> d.candidate().source().equals("news")).count());
    assertEquals(10, kept.stream().filter(d -> d.candidate().source().equals("web")).count());
    assertTrue(
        ds.stream().filter(d -> d.candidate().source().equals("reviews")).noneMatch(Decision::kept),
        "an unlisted source gets no share");
    // within news, the 30 best news scores
    double[] newsScores =
        cs.stream()
            .filter(x -> x.source().equals("news"))
            .mapToDouble(Candidate::score)
            .sorted()
            .toArray();
    double thirtieth = newsScores[newsScores.length - 30];
    assertTrue(
        kept.stream()
            .filter(d -> d.candidate().source().equals("news"))
            .allMatch(d -> d.key() >= thirtieth));
  }

  @Test
  void gumbelTopKIsSeededAndOrderIndependent() {
    List<Candidate> cs = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      cs.add(new Candidate("doc-" + i, null, Math.log(1 + i % 10), 1));
    }
    BudgetConfig c = new BudgetConfig();
    c.method = BudgetConfig.Method.GUMBEL_TOP_K;
    c.budget = 20;
    c.seed = 7;
    List<String> a = keptIds(new BudgetSelector(c).select(cs)).stream().sorted().toList();
    List<Candidate> reversed = new ArrayList<>(cs);
    java.util.Collections.reverse(reversed);
    assertEquals(a, keptIds(new BudgetSelector(c).select(reversed)).stream().sorted().toList());
    c.seed = 8;
    assertNotEquals(a, keptIds(new BudgetSelector(c).select(cs)).stream().sorted().toList());
  }

  /**
   * Gumbel top-k samples without replacement proportionally to exp(score): first-pick frequencies
   * match w_i / Σw and inclusion frequencies with k = 2 match the exact Plackett–Luce probability.
   */
  @Test
  void gumbelTopKSamplesProportionallyToTheWeightsWithoutReplacement() {
    double[] w = {1, 2, 3, 4};
    List<Candidate> cs = new ArrayList<>();
    for (int i = 0; i < w.length; i++) {
      cs.add(new Candidate("item-" + i, null, Math.log(w[i]), 1));
    }
    int trials = 20_000;
    int[] first = new int[w.length];
    int[] inPair = new int[w.length];
    BudgetConfig c = new BudgetConfig();
    c.method = BudgetConfig.Method.GUMBEL_TOP_K;
    for (int t = 0; t < trials; t++) {
      c.seed = t;
      c.budget = 1;
      List<Decision> one = new BudgetSelector(c).select(cs);
      for (int i = 0; i < w.length; i++) {
        if (one.get(i).kept()) {
          first[i]++;
        }
      }
      c.budget = 2;
      List<Decision> two = new BudgetSelector(c).select(cs);
      assertEquals(2, two.stream().filter(Decision::kept).count(), "without replacement");
      for (int i = 0; i < w.length; i++) {
        if (two.get(i).kept()) {
          inPair[i]++;
        }
      }
    }
    double sum = 10;
    for (int i = 0; i < w.length; i++) {
      assertEquals(w[i] / sum, first[i] / (double) trials, 0.012, "first pick of item " + i);
      double p = w[i] / sum;
      for (int j = 0; j < w.length; j++) {
        if (j != i) {
          p += w[j] / sum * w[i] / (sum - w[j]);
        }
      }
      assertEquals(p, inPair[i] / (double) trials, 0.012, "inclusion of item " + i + " with k = 2");
    }
  }

  @Test
  void badConfigsAreRejectedWithTheFieldName() {
    BudgetConfig c = new BudgetConfig();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new BudgetSelector(c));
    assertTrue(e.getMessage().contains("set a budget"), e.getMessage());
    c.fraction = 1.5;
    e = assertThrows(IllegalArgumentException.class, () -> c.validate("select"));
    assertTrue(e.getMessage().startsWith("select.fraction = 1.5"), e.getMessage());
    c.fraction = 0.5;
    c.sourceWeights = Map.of("a", -1.0);
    assertThrows(IllegalArgumentException.class, () -> c.validate("select"));
    assertThrows(IllegalArgumentException.class, () -> new Candidate("x", null, Double.NaN, 1));
  }
}
