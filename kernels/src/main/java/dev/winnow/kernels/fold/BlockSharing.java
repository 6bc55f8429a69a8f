package dev.winnow.kernels.fold;

import dev.winnow.kernels.cpu.MatrixProducts;
import dev.winnow.kernels.cpu.WorkerPool;
import dev.winnow.kernels.model.LayerWeights;
import dev.winnow.kernels.model.ModelWeights;
import dev.winnow.kernels.train.TrainableModel;
import java.util.ArrayList;
import java.util.List;

/**
 * FoldGPT's grouped parameter sharing on the kept blocks: {@code G} groups of {@code S} consecutive
 * kept blocks, each group running one set of weights (its leader's projections and biases) while
 * every block keeps its own norms. Which windows become groups and which member leads are measured,
 * not assumed: for every window of {@code S} consecutive kept blocks and every choice of leader the
 * calibration NLL of the model with that one window shared is measured, and the {@code G} disjoint
 * windows with the lowest total increase are chosen (dynamic programming).
 *
 * @param groups per group, its blocks as positions in the folded model, ascending
 * @param leaders per group, the folded position whose weights the group runs
 * @param candidates every measured window and leader, with its NLL increase
 * @param folded the folded weights: kept blocks in order, a group's projection arrays shared
 */
public record BlockSharing(
    List<List<Integer>> groups,
    List<Integer> leaders,
    List<Candidate> candidates,
    ModelWeights folded) {

  /**
   * One measured sharing.
   *
   * @param first the window's first folded position
   * @param leader the folded position whose weights the window ran
   * @param nllIncrease calibration NLL with the window shared minus without
   */
  public record Candidate(int first, int leader, double nllIncrease) {}

  /** The kept blocks of {@code weights} in order, each with its own weights. */
  public static ModelWeights keep(ModelWeights weights, List<Integer> kept) {
    List<LayerWeights> layers = new ArrayList<>();
    for (int l : kept) {
      layers.add(weights.layers().get(l));
    }
    return new ModelWeights(
        weights.config().withLayers(layers.size()),
        weights.tokenEmbedding(),
        weights.positionEmbedding(),
        layers,
        weights.finalNormWeight(),
        weights.finalNormBias(),
        weights.head(),
        weights.storedAs());
  }

  /** {@code pruned} with the blocks of each group running the leader's projections. */
  public static ModelWeights share(
      ModelWeights pruned, List<List<Integer>> groups, List<Integer> leaders) {
    List<LayerWeights> layers = new ArrayList<>(pruned.layers());
    for (int g = 0; g < groups.size(); g++) {
      LayerWeights lead = pruned.layers().get(leaders.get(g));
      for (int member : groups.get(g)) {
        LayerWeights own = pruned.layers().get(member);
        layers.set(
            member,
            new LayerWeights(
                own.norm1Weight(),
                own.norm1Bias(),
                lead.qkvWeight(),
                lead.qkvBias(),
                lead.outWeight(),
                lead.outBias(),
                own.norm2Weight(),
                own.norm2Bias(),
                lead.upWeight(),
                lead.upBias(),
                lead.downWeight(),
                lead.downBias()));
      }
    }
    return new ModelWeights(
        pruned.config(),
        pruned.tokenEmbedding(),
        pruned.positionEmbedding(),
        layers,
        pruned.finalNormWeight(),
        pruned.finalNormBias(),
        pruned.head(),
        pruned.storedAs());
  }

  /** Measures every window and leader on {@code batches} and chooses {@code count} groups. */
  public static BlockSharing choose(
      ModelWeights pruned,
      int count,
      int size,
      List<int[][]> batches,
      MatrixProducts products,
      WorkerPool pool) {
    int k = pruned.layers().size();
    if (count == 0) {
      return new BlockSharing(List.of(), List.of(), List.of(), pruned);
    }
    double base = BlockAnalysis.meanNll(new TrainableModel(pruned, null, products, pool), batches);
    int windows = k - size + 1;
    double[] windowCost = new double[windows];
    int[] windowLeader = new int[windows];
    List<Candidate> measured = new ArrayList<>();
    for (int first = 0; first < windows; first++) {
      windowCost[first] = Double.POSITIVE_INFINITY;
      List<Integer> members = range(first, size);
      for (int leader : members) {
        ModelWeights shared = share(pruned, List.of(members), List.of(leader));
        double nll =
            BlockAnalysis.meanNll(new TrainableModel(shared, null, products, pool), batches);
        measured.add(new Candidate(first, leader, nll - base));
        if (nll - base < windowCost[first]) {
          windowCost[first] = nll - base;
          windowLeader[first] = leader;
        }
      }
    }
    // best[i][g]: least total cost of g disjoint windows among positions >= i
    double[][] best = new double[k + 1][count + 1];
    boolean[][] take = new boolean[k + 1][count + 1];
    for (int i = k; i >= 0; i--) {
      for (int g = 1; g <= count; g++) {
        double skip = i < k ? best[i + 1][g] : Double.POSITIVE_INFINITY;
        double with =
            i < windows && i + size <= k
                ? windowCost[i] + best[i + size][g - 1]
                : Double.POSITIVE_INFINITY;
        best[i][g] = Math.min(skip, with);
        take[i][g] = with < skip;
      }
    }
    List<List<Integer>> groups = new ArrayList<>();
    List<Integer> leaders = new ArrayList<>();
    int i = 0;
    int g = count;
    while (g > 0) {
      if (take[i][g]) {
        groups.add(range(i, size));
        leaders.add(windowLeader[i]);
        i += size;
        g--;
      } else {
        i++;
      }
    }
    return new BlockSharing(
        List.copyOf(groups),
        List.copyOf(leaders),
        List.copyOf(measured),
        share(pruned, groups, leaders));
  }

  private static List<Integer> range(int first, int size) {
    List<Integer> r = new ArrayList<>();
    for (int j = 0; j < size; j++) {
      r.add(first + j);
    }
    return List.copyOf(r);
  }
}
