package dev.winnow.selection.curriculum;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.selection.testing.SharedCorpora;
import dev.winnow.selection.testing.SharedCorpora.Doc;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CurriculumPlannerTest {

  @Test
  void competenceFunctionsFollowPlatanios() {
    double c0 = 0.01;
    assertEquals(c0, Competence.LINEAR.at(0, 100, c0), 1e-12);
    assertEquals(0.5 * 0.99 + 0.01, Competence.LINEAR.at(50, 100, c0), 1e-12);
    assertEquals(1.0, Competence.LINEAR.at(100, 100, c0), 1e-12);
    assertEquals(1.0, Competence.LINEAR.at(150, 100, c0), 1e-12, "capped at 1");
    assertEquals(c0, Competence.SQRT.at(0, 100, c0), 1e-12);
    assertEquals(Math.sqrt(0.25 * (1 - 1e-4) + 1e-4), Competence.SQRT.at(25, 100, c0), 1e-12);
    assertEquals(1.0, Competence.SQRT.at(100, 100, c0), 1e-12);
    assertTrue(
        Competence.SQRT.at(10, 100, 0.1) > Competence.LINEAR.at(10, 100, 0.1),
        "sqrt admits data faster early");
    assertThrows(IllegalArgumentException.class, () -> Competence.LINEAR.at(1, 10, 0));
  }

  @Test
  void stagesFollowTheCompetenceAtTheirEnds() {
    CurriculumConfig c = new CurriculumConfig();
    c.competence = Competence.LINEAR;
    c.c0 = 0.2;
    c.stages = 5;
    CurriculumPlanner p = new CurriculumPlanner(c);
    assertArrayEquals(new double[] {0.2, 0.4, 0.6, 0.8, 1.0}, p.stageCompetence(), 1e-12);
    double[] d = new double[100];
    for (int i = 0; i < d.length; i++) {
      d[i] = (i * 37) % 100; // a permutation of 0..99
    }
    List<CurriculumPlanner.Placement> plan = p.plan(d);
    assertEquals(100, plan.size());
    for (int r = 0; r < plan.size(); r++) {
      assertEquals(r, plan.get(r).rank());
      assertEquals(r, plan.get(r).difficulty(), 0.0, "easiest first");
      assertEquals(r / 20, plan.get(r).stage(), "20 documents per linear stage");
      assertEquals(d[plan.get(r).index()], plan.get(r).difficulty());
    }
    c.stages = 1;
    assertTrue(new CurriculumPlanner(c).plan(d).stream().allMatch(x -> x.stage() == 0));
  }

  @Test
  void tiesKeepInputOrderAndNaNRanksLast() {
    CurriculumConfig c = new CurriculumConfig();
    c.stages = 2;
    c.c0 = 0.5;
    List<CurriculumPlanner.Placement> plan =
        new CurriculumPlanner(c).plan(new double[] {Double.NaN, 2, 1, 2});
    assertEquals(
        List.of(2, 1, 3, 0), plan.stream().map(CurriculumPlanner.Placement::index).toList());
    assertEquals(
        List.of(0, 0, 1, 1), plan.stream().map(CurriculumPlanner.Placement::stage).toList());
  }

  /**
   * The streaming placement (rank and total only) agrees with the in-memory plan, for every n and
   * both functions.
   */
  @Test
  void stageOfRankAgreesWithThePlan() {
    for (Competence f : Competence.values()) {
      for (int stages : new int[] {1, 3, 4, 7}) {
        CurriculumConfig c = new CurriculumConfig();
        c.competence = f;
        c.c0 = 0.05;
        c.stages = stages;
        CurriculumPlanner p = new CurriculumPlanner(c);
        for (int n : new int[] {0, 1, 2, 5, 19, 100, 1001}) {
          double[] d = new double[n];
          for (int i = 0; i < n; i++) {
            d[i] = (i * 7919L) % 1009;
          }
          long[] ends = p.stageEnds(n);
          assertEquals(stages, ends.length);
          assertEquals(n, ends[stages - 1], "the last stage ends at n");
          for (int s = 1; s < stages; s++) {
            assertTrue(ends[s] >= ends[s - 1], "stage ends never decrease");
          }
          for (CurriculumPlanner.Placement x : p.plan(d)) {
            assertEquals(
                x.stage(),
                CurriculumPlanner.stageOf(x.rank(), ends),
                f + " S=" + stages + " n=" + n + " rank " + x.rank());
          }
        }
      }
    }
    CurriculumConfig c = new CurriculumConfig();
    c.competence = Competence.LINEAR;
    c.c0 = 0.25;
    c.stages = 4;
    assertArrayEquals(new long[] {25, 50, 75, 100}, new CurriculumPlanner(c).stageEnds(100));
    assertThrows(
        IllegalArgumentException.class,
        () -> CurriculumPlanner.stageOf(100, new long[] {25, 50, 75, 100}));
    assertThrows(IllegalArgumentException.class, () -> new CurriculumPlanner(c).stageEnds(-1));
  }

  /**
   * On real text: stages are monotone in difficulty for length and compression ratio, and nearly
   * sqrt-sized.
   */
  @Test
  void stagesAreMonotoneInDifficultyOnRealText() {
    List<Doc> docs = new ArrayList<>(SharedCorpora.read("news").subList(0, 400));
    docs.addAll(SharedCorpora.read("web").subList(0, 400));
    docs.addAll(SharedCorpora.read("prose").subList(0, 200));
    for (DifficultyMeasure m :
        List.of(DifficultyMeasure.LENGTH, DifficultyMeasure.COMPRESSION_RATIO)) {
      CurriculumConfig c = new CurriculumConfig();
      c.measure = m;
      c.c0 = 0.1;
      c.stages = 4;
      double[] d = docs.stream().mapToDouble(x -> m.measure(x.text())).toArray();
      List<CurriculumPlanner.Placement> plan = new CurriculumPlanner(c).plan(d);
      double[] max = new double[4];
      double[] min = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
      int[] size = new int[4];
      for (CurriculumPlanner.Placement x : plan) {
        max[x.stage()] = Math.max(max[x.stage()], x.difficulty());
        min[x.stage()] = Math.min(min[x.stage()], x.difficulty());
        size[x.stage()]++;
      }
      for (int s = 0; s + 1 < 4; s++) {
        assertTrue(
            max[s] <= min[s + 1],
            m + ": stage " + s + " max " + max[s] + " > stage " + (s + 1) + " min " + min[s + 1]);
      }
      double[] comp = new CurriculumPlanner(c).stageCompetence();
      assertEquals(Math.round(1000 * comp[0]), size[0]);
      assertEquals(Math.round(1000 * comp[1]) - Math.round(1000 * comp[0]), size[1]);
    }
    // a repetitive text compresses better (easier) than a varied one of the same length
    assertTrue(
        DifficultyMeasure.compressionRatio("the cat sat. ".repeat(40))
            < DifficultyMeasure.compressionRatio(docs.get(0).text().substring(0, 520)));
    assertEquals(3, DifficultyMeasure.words("  one two\nthree "));
  }
}
