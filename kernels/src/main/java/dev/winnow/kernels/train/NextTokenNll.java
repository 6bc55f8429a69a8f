package dev.winnow.kernels.train;

import dev.winnow.kernels.cpu.WorkerPool;

/**
 * Mean next-token negative log-likelihood: {@code −(1 / (B·(T−1))) Σ_b Σ_{t<T−1} ln
 * softmax(z_{b,t})[ids[b][t+1]]}, natural log; the last position of each sequence has no target and
 * gets zero gradient. Gradient: {@code (softmax(z) − onehot(y)) / (B·(T−1))}.
 */
public final class NextTokenNll implements TrainingLoss {

  @Override
  public double lossAndGradient(int[][] ids, float[] logits, int vocab, WorkerPool pool) {
    int b = ids.length;
    int t = ids[0].length;
    if (t < 2) {
      throw new IllegalArgumentException(
          "sequences of " + t + " token(s): next-token NLL needs at least 2 per sequence");
    }
    int rows = b * t;
    double count = (double) b * (t - 1);
    double[] rowLoss = new double[rows];
    pool.forEach(
        rows,
        r -> {
          int o = r * vocab;
          int pos = r % t;
          if (pos == t - 1) {
            java.util.Arrays.fill(logits, o, o + vocab, 0f);
            return;
          }
          int target = ids[r / t][pos + 1];
          double lse = Softmax.logSumExp(logits, o, vocab, 1.0);
          rowLoss[r] = lse - logits[o + target];
          for (int j = 0; j < vocab; j++) {
            logits[o + j] = (float) (Math.exp(logits[o + j] - lse) / count);
          }
          logits[o + target] -= (float) (1.0 / count);
        });
    double sum = 0;
    for (double l : rowLoss) {
      sum += l;
    }
    return sum / count;
  }
}
