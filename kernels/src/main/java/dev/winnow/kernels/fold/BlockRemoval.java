package dev.winnow.kernels.fold;

import dev.winnow.kernels.train.AdamW;
import dev.winnow.kernels.train.Distillation;
import dev.winnow.kernels.train.GradientClipping;
import dev.winnow.kernels.train.Parameter;
import dev.winnow.kernels.train.ParameterGroup;
import dev.winnow.kernels.train.TrainableModel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
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

  /** Learning rate of the gates (AdamW, no decay on gates). */
  static final double GATE_LEARNING_RATE = 0.01;

  /** Weight of the depth constraint {@code (mean g − K/L)²}. */
  static final double DEPTH_WEIGHT = 5.0;

  /** Weight of the polarising term {@code mean g (1 − g)}, which pushes gates to 0 or 1. */
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

  /**
   * FoldGPT's gated removal: the gates of {@code student} (a copy of the teacher) are trained
   * against the teacher's distribution with {@code KD + λ_d (mean g − keep/L)² + λ_p mean g(1 −
   * g)}, clamped to [0, 1] after each step, all gates together so that each block's gate is learnt
   * in the presence of the others; then the {@code L − keep} lowest gates are removed.
   */
  public static BlockRemoval gated(
      TrainableModel student,
      TrainableModel teacher,
      List<int[][]> batches,
      int keep,
      double temperature,
      FoldProgress progress) {
    int layers = student.layers();
    student.setTrainable(EnumSet.of(ParameterGroup.GATES));
    List<Parameter> gates = student.trainableParameters();
    AdamW adam = new AdamW(gates, new AdamW.Settings(GATE_LEARNING_RATE, 0.9, 0.999, 1e-8, 0));
    double target = (double) keep / layers;
    int step = 0;
    long start = System.nanoTime();
    long tokens = 0;
    for (int[][] ids : batches) {
      float[] teacherLogits = teacher.logits(ids);
      student.zeroGradients();
      double loss = student.lossAndGradients(ids, new Distillation(teacherLogits, temperature));
      double mean = 0;
      for (Parameter g : gates) {
        mean += g.value()[0];
      }
      mean /= layers;
      for (Parameter g : gates) {
        double v = g.value()[0];
        g.grad()[0] +=
            (float)
                (2 * DEPTH_WEIGHT * (mean - target) / layers
                    + POLARISING_WEIGHT * (1 - 2 * v) / layers);
      }
      GradientClipping.clipGlobalNorm(gates, 1.0);
      adam.step();
      for (Parameter g : gates) {
        g.value()[0] = Math.max(0f, Math.min(1f, g.value()[0]));
      }
      tokens += (long) ids.length * ids[0].length;
      step++;
      progress.step(
          "gates", step, batches.size(), loss, tokens / ((System.nanoTime() - start) / 1e9));
    }
    double[] values = new double[layers];
    for (int l = 0; l < layers; l++) {
      values[l] = student.gate(l).value()[0];
      student.gate(l).value()[0] = 1f;
    }
    student.setTrainable(EnumSet.noneOf(ParameterGroup.class));
    return new BlockRemoval(FoldMethod.GATES, lowest(values, layers - keep), values, null);
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

  /** The kept blocks, ascending. */
  public List<Integer> kept(int layers) {
    return IntStream.range(0, layers).filter(l -> !removed.contains(l)).boxed().toList();
  }
}
