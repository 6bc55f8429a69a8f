package dev.winnow.kernels.fold;

import dev.winnow.kernels.train.AdamW;
import dev.winnow.kernels.train.Distillation;
import dev.winnow.kernels.train.GradientClipping;
import dev.winnow.kernels.train.Parameter;
import dev.winnow.kernels.train.ParameterGroup;
import dev.winnow.kernels.train.TrainableModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The three ways of choosing the blocks to remove: FoldGPT's gates, ShortGPT's block influence and
 * SLEB's greedy bypass.
 *
 * @param method how they were chosen
 * @param removed removed blocks, ascending
 * @param gates the trained gate of every block ({@link FoldMethod#GATES}), else null
 * @param greedyNll SLEB: calibration NLL after each removal, in removal order, else null
 */
public record BlockRemoval(
    FoldMethod method, List<Integer> removed, double[] gates, double[] greedyNll) {

  /**
   * How the gates follow the depth (FLOPs) constraint.
   *
   * <ul>
   *   <li>{@link #SAMPLED} (default): the gates are keep probabilities {@code p}; each step runs
   *       the student on one batch with two binary masks drawn from them ({@code z_l = 1} with
   *       probability {@code p_l}, forward passes only) and fits, by least squares over the pairs
   *       seen (forgetting factor 0.99 a step), the pairs' KL differences on their masks'
   *       differences: {@code KL(z) ≈ a − Σ c_l z_l}, {@code c_l} the cost of removing block l
   *       among the others, and {@code ∂E[KL]/∂p_l = −c_l}; a difference on one batch is free of
   *       the batch's own difficulty. A bucketed estimate (running means of the KL with each block
   *       kept and removed, decay 0.9) was too noisy: on proxy-deep it removed block 11, the most
   *       costly after block 0, and scored +0.20 held-out NLL against SLEB's +0.095. A block is
   *       thus judged with other blocks actually removed, in the company the budget makes likely,
   *       which is the dependence between blocks that a one-at-a-time measure (BI, a single bypass)
   *       misses; the step is that of {@link #PROJECTED}. Derivatives do not do this: at the
   *       relaxed point (every gate near {@code K/L}) the KL is about rescaling the residual stream
   *       and its minimum in each gate lies near the others' value, so the gradients flip sign from
   *       step to step; at a sampled binary mask (a straight-through estimate) block 0, whose
   *       bypass costs 3.5 nats, ended below five other gates after 24 steps, since the derivative
   *       at a kept block measures a small rescaling, not its removal.
   *   <li>{@link #PROJECTED}: the gates themselves run, as continuous scalars. The constraint is
   *       kept exactly. Each step moves the gates against their averaged KL gradients measured in
   *       units of the gates' median gradient magnitude (so the step does not depend on the loss's
   *       scale, and the gates' differences are the blocks' differences in importance), plus the
   *       polarising term's gradient, and then projects them back onto {@code mean g = K/L} within
   *       [0, 1] (which removes the common part of the gradients).
   *   <li>{@link #PENALTY}: the constraint as a penalty {@code λ_d (mean g − K/L)²} added to the
   *       KL, AdamW on the gates, clamped to [0, 1]. AdamW normalises each gate's step on its own,
   *       so the shared pull of the penalty moves every gate alike and the KL's differences between
   *       blocks hardly separate them (measured: all 12 gates of proxy-deep within 0.668–0.673
   *       after 128 steps).
   * </ul>
   */
  public enum GateUpdate {
    SAMPLED,
    PROJECTED,
    PENALTY
  }

  /** Step size of the projected update (gate units per step at most, from the KL). */
  static final double PROJECTED_STEP = 0.02;

  /**
   * Forgetting factor of the sampled update's least squares (per step): about the last 100 pairs of
   * masks weigh, so the costs follow the company the gates come to keep.
   */
  static final double SAMPLE_DECAY = 0.99;

  /** Averaging of the gates' gradients and of their scale in the projected update. */
  static final double MOMENTUM = 0.9;

  /** Learning rate of the gates in the penalty form (AdamW, no decay on gates). */
  static final double GATE_LEARNING_RATE = 0.01;

  /** Weight of the depth constraint {@code (mean g − K/L)²} in the penalty form. */
  static final double DEPTH_WEIGHT = 5.0;

  /**
   * Weight of the polarising term {@code mean g (1 − g)}, which pushes gates to 0 or 1 (in the
   * projected form, against the KL direction of unit RMS).
   */
  static final double POLARISING_WEIGHT = 0.1;

  /** ShortGPT: the {@code L − keep} blocks of lowest block influence. */
  public static BlockRemoval byInfluence(BlockAnalysis analysis, int keep) {
    double[] bi = analysis.blockInfluence();
    return new BlockRemoval(FoldMethod.BI, lowest(bi, bi.length - keep), null, null);
  }

  /**
   * SLEB: removes one block at a time, each time the one whose bypass (with the blocks already
   * removed) gives the lowest NLL on {@code batches}.
   */
  public static BlockRemoval greedy(TrainableModel model, List<int[][]> batches, int keep) {
    int layers = model.layers();
    List<Integer> removed = new ArrayList<>();
    double[] trace = new double[layers - keep];
    for (int round = 0; round < layers - keep; round++) {
      int best = -1;
      double bestNll = Double.POSITIVE_INFINITY;
      for (int l = 0; l < layers; l++) {
        if (removed.contains(l)) {
          continue;
        }
        model.gate(l).value()[0] = 0f;
        double nll = BlockAnalysis.meanNll(model, batches);
        model.gate(l).value()[0] = 1f;
        if (nll < bestNll) {
          bestNll = nll;
          best = l;
        }
      }
      removed.add(best);
      model.gate(best).value()[0] = 0f;
      trace[round] = bestNll;
    }
    for (int l : removed) {
      model.gate(l).value()[0] = 1f;
    }
    List<Integer> sorted = new ArrayList<>(removed);
    sorted.sort(null);
    return new BlockRemoval(FoldMethod.SLEB, List.copyOf(sorted), null, trace);
  }

  /** Gated removal with the {@link GateUpdate#SAMPLED} update. */
  public static BlockRemoval gated(
      TrainableModel student,
      TrainableModel teacher,
      List<int[][]> batches,
      int keep,
      double temperature,
      long seed,
      FoldProgress progress) {
    return gated(student, teacher, batches, keep, temperature, GateUpdate.SAMPLED, seed, progress);
  }

  /**
   * FoldGPT's gated removal: the gates of {@code student} (a copy of the teacher) are trained
   * against the teacher's distribution (KL at {@code temperature}) under the depth constraint
   * {@code mean g = keep/L} and the polarising term {@code λ_p mean g(1 − g)}, all gates together
   * so that each block's gate is learnt in the presence of the others; then the {@code L − keep}
   * lowest gates are removed. {@code update} says how the constraint is held and where the
   * gradients are taken; {@code seed} draws the sampled masks.
   */
  public static BlockRemoval gated(
      TrainableModel student,
      TrainableModel teacher,
      List<int[][]> batches,
      int keep,
      double temperature,
      GateUpdate update,
      long seed,
      FoldProgress progress) {
    int layers = student.layers();
    student.setTrainable(EnumSet.of(ParameterGroup.GATES));
    List<Parameter> gates = student.trainableParameters();
    AdamW adam = new AdamW(gates, new AdamW.Settings(GATE_LEARNING_RATE, 0.9, 0.999, 1e-8, 0));
    SplittableRandom random = new SplittableRandom(seed);
    double target = (double) keep / layers;
    int step = 0;
    long start = System.nanoTime();
    long tokens = 0;
    double[] p = new double[layers];
    Arrays.fill(p, target);
    double[] momentum = new double[layers];
    double scale = 0;
    // least squares of the pairs' KL differences on their mask differences, exponentially
    // forgetting: KL(z) ≈ a − Σ c_l z_l, c_l the cost of removing block l among the others
    double[][] normal = new double[layers][layers];
    double[] moment = new double[layers];
    for (int[][] ids : batches) {
      float[] teacherLogits = teacher.logits(ids);
      double loss;
      double[] grad;
      if (update == GateUpdate.SAMPLED) {
        // two masks drawn from p on the same batch: their KL difference, free of the batch's own
        // difficulty, is one observation of the costs of the blocks in which they differ
        boolean[][] masks = new boolean[2][layers];
        double[] kl = new double[2];
        for (int m = 0; m < 2; m++) {
          for (int l = 0; l < layers; l++) {
            masks[m][l] = random.nextDouble() < p[l];
            gates.get(l).value()[0] = masks[m][l] ? 1f : 0f;
          }
          kl[m] = student.loss(ids, new Distillation(teacherLogits, temperature));
        }
        loss = (kl[0] + kl[1]) / 2;
        double[] x = new double[layers];
        for (int l = 0; l < layers; l++) {
          x[l] = (masks[1][l] ? 1 : 0) - (masks[0][l] ? 1 : 0);
        }
        double y = kl[0] - kl[1];
        for (int a = 0; a < layers; a++) {
          moment[a] = SAMPLE_DECAY * moment[a] + x[a] * y;
          for (int b = 0; b < layers; b++) {
            normal[a][b] = SAMPLE_DECAY * normal[a][b] + x[a] * x[b];
          }
        }
        double[] cost = solveRidge(normal, moment);
        // d E[KL] / d p_l = −c_l
        grad = new double[layers];
        for (int l = 0; l < layers; l++) {
          grad[l] = -cost[l];
        }
      } else {
        if (update == GateUpdate.PROJECTED) {
          for (int l = 0; l < layers; l++) {
            gates.get(l).value()[0] = (float) p[l];
          }
        }
        student.zeroGradients();
        loss = student.lossAndGradients(ids, new Distillation(teacherLogits, temperature));
        grad = gradients(gates);
      }
      if (update == GateUpdate.PENALTY) {
        double mean = 0;
        for (Parameter g : gates) {
          mean += g.value()[0] / (double) layers;
        }
        for (Parameter g : gates) {
          g.grad()[0] +=
              (float)
                  (2 * DEPTH_WEIGHT * (mean - target) / layers
                      + POLARISING_WEIGHT * (1 - 2 * g.value()[0]) / layers);
        }
        GradientClipping.clipGlobalNorm(gates, 1.0);
        adam.step();
        for (Parameter g : gates) {
          g.value()[0] = Math.max(0f, Math.min(1f, g.value()[0]));
        }
      } else {
        for (int l = 0; l < layers; l++) {
          momentum[l] = MOMENTUM * momentum[l] + (1 - MOMENTUM) * grad[l];
        }
        scale = MOMENTUM * scale + (1 - MOMENTUM) * medianAbs(grad);
        projectedStep(p, momentum, scale, 1 - Math.pow(MOMENTUM, step + 1), target);
      }
      tokens += (long) ids.length * ids[0].length;
      step++;
      progress.step(
          "gates", step, batches.size(), loss, tokens / ((System.nanoTime() - start) / 1e9));
    }
    double[] values = new double[layers];
    for (int l = 0; l < layers; l++) {
      values[l] = update == GateUpdate.PENALTY ? student.gate(l).value()[0] : p[l];
      student.gate(l).value()[0] = 1f;
    }
    student.setTrainable(EnumSet.noneOf(ParameterGroup.class));
    return new BlockRemoval(FoldMethod.GATES, lowest(values, layers - keep), values, null);
  }

  private static double[] gradients(List<Parameter> gates) {
    double[] d = new double[gates.size()];
    for (int l = 0; l < d.length; l++) {
      d[l] = gates.get(l).grad()[0];
    }
    return d;
  }

  /**
   * One projected step on {@code g} (in place): each gate moves against its averaged KL gradient
   * {@code momentum} in units of the gates' typical gradient {@code scale} (both bias-corrected by
   * {@code corrected}), clamped to one unit, plus the polarising gradient, times {@link
   * #PROJECTED_STEP}; then the projection onto {@code mean g = target} within [0, 1]. The unit is
   * the median of the gradients' magnitudes, not their RMS: block 0's gradient is two orders of
   * magnitude above the others' and would set the scale alone, and the clamp keeps such a stiff
   * gate from overshooting (with a per-step RMS unit it did, its gradient changing sign every
   * step).
   */
  static void projectedStep(
      double[] g, double[] momentum, double scale, double corrected, double target) {
    double unit = scale / corrected;
    for (int l = 0; l < g.length; l++) {
      double kl = unit > 0 ? Math.max(-1, Math.min(1, momentum[l] / corrected / unit)) : 0;
      g[l] -= PROJECTED_STEP * (kl + POLARISING_WEIGHT * (1 - 2 * g[l]));
    }
    project(g, target);
  }

  /**
   * Solves {@code (A + εI) c = b} by Gaussian elimination with partial pivoting, {@code ε} a
   * thousandth of {@code A}'s mean diagonal (a block whose state no pair has differed in gets c ≈
   * 0).
   */
  static double[] solveRidge(double[][] a, double[] b) {
    int n = b.length;
    double trace = 0;
    for (int i = 0; i < n; i++) {
      trace += a[i][i];
    }
    double ridge = Math.max(1e-9, 1e-3 * trace / n);
    double[][] m = new double[n][n + 1];
    for (int i = 0; i < n; i++) {
      System.arraycopy(a[i], 0, m[i], 0, n);
      m[i][i] += ridge;
      m[i][n] = b[i];
    }
    for (int c = 0; c < n; c++) {
      int pivot = c;
      for (int r = c + 1; r < n; r++) {
        if (Math.abs(m[r][c]) > Math.abs(m[pivot][c])) {
          pivot = r;
        }
      }
      double[] t = m[c];
      m[c] = m[pivot];
      m[pivot] = t;
      for (int r = c + 1; r < n; r++) {
        double f = m[r][c] / m[c][c];
        for (int k = c; k <= n; k++) {
          m[r][k] -= f * m[c][k];
        }
      }
    }
    double[] x = new double[n];
    for (int r = n - 1; r >= 0; r--) {
      double v = m[r][n];
      for (int k = r + 1; k < n; k++) {
        v -= m[r][k] * x[k];
      }
      x[r] = v / m[r][r];
    }
    return x;
  }

  private static double medianAbs(double[] v) {
    double[] a = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      a[i] = Math.abs(v[i]);
    }
    Arrays.sort(a);
    int n = a.length;
    return n % 2 == 1 ? a[n / 2] : (a[n / 2 - 1] + a[n / 2]) / 2;
  }

  /**
   * Euclidean projection of {@code g} onto {@code {x in [0,1]^n : mean x = target}} (in place):
   * {@code x = clamp(g − s)} with the shift {@code s} found by bisection.
   */
  static void project(double[] g, double target) {
    double lo = -1, hi = 1;
    for (double v : g) {
      lo = Math.min(lo, v - 1);
      hi = Math.max(hi, v);
    }
    for (int it = 0; it < 100; it++) {
      double s = (lo + hi) / 2;
      double mean = 0;
      for (double v : g) {
        mean += Math.max(0, Math.min(1, v - s)) / g.length;
      }
      if (mean > target) {
        lo = s;
      } else {
        hi = s;
      }
    }
    double s = (lo + hi) / 2;
    for (int l = 0; l < g.length; l++) {
      g[l] = Math.max(0, Math.min(1, g[l] - s));
    }
  }

  /** Indices of the {@code count} smallest values (ties: the later block first), ascending. */
  static List<Integer> lowest(double[] values, int count) {
    return IntStream.range(0, values.length)
        .boxed()
        .sorted(Comparator.<Integer>comparingDouble(i -> values[i]).thenComparing(i -> -i))
        .limit(count)
        .sorted()
        .toList();
  }

  /**
   * Mean next-token NLL of {@code model} on {@code batches} with this choice's blocks bypassed
   * (their gates at 0; every gate at 1 again afterwards): the quality of the choice itself, before
   * sharing and distillation.
   */
  public double bypassNll(TrainableModel model, List<int[][]> batches) {
    for (int l : removed) {
      model.gate(l).value()[0] = 0f;
    }
    try {
      return BlockAnalysis.meanNll(model, batches);
    } finally {
      for (int l : removed) {
        model.gate(l).value()[0] = 1f;
      }
    }
  }

  /** The kept blocks, ascending. */
  public List<Integer> kept(int layers) {
    return IntStream.range(0, layers).filter(l -> !removed.contains(l)).boxed().toList();
  }
}
