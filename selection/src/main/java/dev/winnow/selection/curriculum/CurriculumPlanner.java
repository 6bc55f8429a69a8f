package dev.winnow.selection.curriculum;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Orders a selected set by difficulty and cuts it into stages by a competence function.
 *
 * <p>Documents are ranked by difficulty, easiest first (ties by input order; a NaN difficulty —
 * nothing to measure — ranks last). With {@code S} stages, stage {@code s} (0-based) ends at
 * cumulative competence {@code c(s/(S−1))} ({@code T} normalized to 1; {@code S = 1}: one stage of
 * everything): stage 0 holds the easiest {@code c0} of the ranking, each later stage the documents
 * the competence admits since the previous one, and the last stage ends at {@code c(1) = 1}. A
 * document is in exactly one stage, the first that admits it; a trainer following Platanios et al.
 * samples from all stages up to the current one. Stage boundaries are {@code round(n · c)}.
 *
 * <pre>{@code
 * List<CurriculumPlanner.Placement> plan = new CurriculumPlanner(config).plan(difficulties);
 * }</pre>
 */
public final class CurriculumPlanner {
  private final CurriculumConfig config;

  public CurriculumPlanner(CurriculumConfig config) {
    config.validate("curriculum");
    this.config = config;
  }

  /**
   * Where one document goes.
   *
   * @param index the document's position in the input
   * @param stage its stage, 0-based
   * @param rank its position in the whole curriculum, 0-based (easiest first)
   * @param difficulty its difficulty
   */
  public record Placement(int index, int stage, long rank, double difficulty) {}

  /** Cumulative competence at the end of each stage. */
  public double[] stageCompetence() {
    double[] out = new double[config.stages];
    for (int s = 0; s < out.length; s++) {
      out[s] = config.stages == 1 ? 1.0 : config.competence.at(s, config.stages - 1, config.c0);
    }
    return out;
  }

  /**
   * Where each stage ends in a ranking of {@code n} documents: stage {@code s} holds ranks {@code
   * [ends[s−1], ends[s])} (stage 0 from rank 0), with {@code ends[s] = round(n · c(s))} made
   * non-decreasing and {@code ends[S−1] = n}. This is all a streaming pass needs to place a
   * document from its rank alone (see {@link #stageOf}), without holding the ranking.
   */
  public long[] stageEnds(long n) {
    if (n < 0) {
      throw new IllegalArgumentException("illegal document count " + n + ": must be >= 0");
    }
    double[] comp = stageCompetence();
    long[] end = new long[comp.length];
    for (int s = 0; s < comp.length; s++) {
      end[s] = Math.max(s == 0 ? 0 : end[s - 1], Math.round(n * comp[s]));
    }
    end[comp.length - 1] = n;
    return end;
  }

  /**
   * The stage of rank {@code rank} given {@link #stageEnds} of the ranking: the first stage ending
   * after it.
   */
  public static int stageOf(long rank, long[] ends) {
    if (rank < 0 || ends.length == 0 || rank >= ends[ends.length - 1]) {
      throw new IllegalArgumentException(
          "illegal rank "
              + rank
              + ": must be in [0, "
              + (ends.length == 0 ? 0 : ends[ends.length - 1])
              + ")");
    }
    int lo = 0;
    int hi = ends.length - 1;
    while (lo < hi) { // first s with rank < ends[s]
      int mid = (lo + hi) >>> 1;
      if (rank < ends[mid]) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  /** Placements in curriculum order (by rank). */
  public List<Placement> plan(double[] difficulty) {
    int n = difficulty.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(
        order,
        Comparator.comparingDouble(
                (Integer i) ->
                    Double.isNaN(difficulty[i]) ? Double.POSITIVE_INFINITY : difficulty[i])
            .thenComparing(i -> Double.isNaN(difficulty[i]))
            .thenComparingInt(i -> i));
    long[] end = stageEnds(n);
    List<Placement> out = new ArrayList<>(n);
    int stage = 0;
    for (int r = 0; r < n; r++) {
      while (r >= end[stage]) {
        stage++;
      }
      out.add(new Placement(order[r], stage, r, difficulty[order[r]]));
    }
    return out;
  }
}
