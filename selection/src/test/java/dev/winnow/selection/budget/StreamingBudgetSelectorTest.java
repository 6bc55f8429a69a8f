package dev.winnow.selection.budget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StreamingBudgetSelectorTest {

  private static List<Candidate> stream(int n, long seed) {
    Random r = new Random(seed);
    List<Candidate> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(
          new Candidate(
              "s" + i, i % 4 == 0 ? "news" : "web", r.nextGaussian(), 1 + r.nextInt(2000)));
    }
    return out;
  }

  private static List<Decision> run(StreamingBudgetSelector s, List<Candidate> cs) {
    List<Decision> out = new ArrayList<>();
    for (Candidate c : cs) {
      out.addAll(s.offer(c));
    }
    out.addAll(s.finish());
    return out;
  }

  @Test
  void keepsAboutTheFractionAndAgreesWithTheExactSelection() {
    List<Candidate> cs = stream(30_000, 3);
    BudgetConfig c = new BudgetConfig();
    c.fraction = 0.1;
    // defaults: a 10,000-key reservoir (standard error of the 10% quantile ≈ 0.3 points), 1,000
    // held back
    List<Decision> streamed = run(new StreamingBudgetSelector(c), cs);
    assertEquals(cs.size(), streamed.size(), "every candidate decided once");
    assertEquals(cs.size(), streamed.stream().map(d -> d.candidate().id()).distinct().count());
    Set<String> kept = new HashSet<>();
    streamed.stream().filter(Decision::kept).forEach(d -> kept.add(d.candidate().id()));
    assertEquals(3000, kept.size(), 150, "about 10% kept");
    Set<String> exact = new HashSet<>();
    new BudgetSelector(c)
        .select(cs).stream().filter(Decision::kept).forEach(d -> exact.add(d.candidate().id()));
    long overlap = kept.stream().filter(exact::contains).count();
    assertTrue(
        overlap >= 0.9 * exact.size(),
        "overlap with the exact top 10%: " + overlap + " of " + exact.size());
    assertTrue(
        streamed.stream()
            .filter(d -> !d.kept())
            .allMatch(d -> Decision.BELOW_BUDGET.equals(d.reason())));
  }

  @Test
  void tokenFractionMixtureAndHardCap() {
    List<Candidate> cs = stream(20_000, 4);
    BudgetConfig c = new BudgetConfig();
    c.unit = BudgetConfig.Unit.TOKENS;
    c.fraction = 0.2;
    c.sourceWeights = Map.of("news", 1.0, "web", 1.0);
    List<Decision> ds = run(new StreamingBudgetSelector(c), cs);
    long total = cs.stream().mapToLong(Candidate::tokens).sum();
    long news =
        ds.stream()
            .filter(d -> d.kept() && d.candidate().source().equals("news"))
            .mapToLong(d -> d.candidate().tokens())
            .sum();
    long web =
        ds.stream()
            .filter(d -> d.kept() && d.candidate().source().equals("web"))
            .mapToLong(d -> d.candidate().tokens())
            .sum();
    // news is a quarter of the stream but gets half of the kept tokens
    assertEquals(0.1 * total, news, 0.01 * total);
    assertEquals(0.1 * total, web, 0.01 * total);

    c.sourceWeights = null;
    c.budget = 1_000_000; // far below 20% of ~20M tokens
    StreamingBudgetSelector capped = new StreamingBudgetSelector(c);
    List<Decision> cd = run(capped, cs);
    long keptTokens =
        cd.stream().filter(Decision::kept).mapToLong(d -> d.candidate().tokens()).sum();
    assertTrue(keptTokens <= 1_000_000 && keptTokens > 990_000, "hard cap: " + keptTokens);
    assertEquals(keptTokens, capped.unitsKept());
  }

  @Test
  void warmupHoldsBackAndFinishReleasesAShortStream() {
    BudgetConfig c = new BudgetConfig();
    c.fraction = 0.5;
    c.warmup = 10;
    c.reservoirSize = 10;
    StreamingBudgetSelector s = new StreamingBudgetSelector(c);
    for (int i = 0; i < 4; i++) {
      assertEquals(List.of(), s.offer(new Candidate("w" + i, null, i, 1)));
    }
    assertTrue(Double.isNaN(s.threshold(null)));
    List<Decision> ds = s.finish();
    assertEquals(
        List.of("w2", "w3"),
        ds.stream().filter(Decision::kept).map(d -> d.candidate().id()).toList());
    assertEquals(2.0, s.threshold(null));
    BudgetConfig noFraction = new BudgetConfig();
    noFraction.budget = 5;
    assertThrows(IllegalArgumentException.class, () -> new StreamingBudgetSelector(noFraction));
  }

  @Test
  void aRestoredSnapshotDecidesExactlyAsTheUninterruptedSelector() throws Exception {
    BudgetConfig c = new BudgetConfig();
    c.fraction = 0.2;
    c.unit = BudgetConfig.Unit.TOKENS;
    c.method = BudgetConfig.Method.GUMBEL_TOP_K;
    c.sourceWeights = Map.of("news", 0.6, "web", 0.4);
    c.reservoirSize = 500; // small, so the reservoir's replacement draws matter
    c.warmup = 300;
    c.refreshEvery = 50;
    List<Candidate> cs = stream(5_000, 11);
    List<Decision> straight = run(new StreamingBudgetSelector(c), cs);

    // cut at 250 (news warm-up still holding documents) and again at 3,000: snapshot, restore, go
    // on
    StreamingBudgetSelector s = new StreamingBudgetSelector(c);
    List<Decision> resumed = new ArrayList<>();
    for (int i = 0; i < cs.size(); i++) {
      if (i == 250 || i == 3_000) {
        s = roundTrip(s);
      }
      resumed.addAll(s.offer(cs.get(i)));
    }
    resumed.addAll(roundTrip(s).finish());
    assertEquals(straight, resumed, "same decisions, same order, same thresholds");
    assertTrue(straight.stream().filter(Decision::kept).count() > 100);
  }

  private static StreamingBudgetSelector roundTrip(StreamingBudgetSelector s) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(s);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (StreamingBudgetSelector) in.readObject();
    }
  }
}
