package dev.winnow.kernels.fold;

import dev.winnow.kernels.train.NextTokenNll;
import dev.winnow.kernels.train.TrainableModel;
import java.util.List;

/**
 * FoldGPT's redundancy analysis on calibration tokens: per block its ShortGPT block influence, the
 * cosine similarity of every pair of block outputs, and the calibration NLL the model loses when
 * the block alone is bypassed.
 *
 * @param baseNll mean next-token NLL of the model (nats)
 * @param blockInfluence {@code BI_l = 1 − mean over tokens of cos(x_l, x_l+1)}, {@code x_l} the
 *     input of block {@code l}
 * @param outputSimilarity {@code [L][L]}: mean over tokens of {@code cos(out_i, out_j)}
 * @param removalCost {@code NLL(without block l) − baseNll}
 * @param tokens calibration tokens measured
 */
public record BlockAnalysis(
    double baseNll,
    double[] blockInfluence,
    double[][] outputSimilarity,
    double[] removalCost,
    long tokens) {

  /** Measures {@code model} (gates at 1) on {@code batches}. */
  public static BlockAnalysis measure(TrainableModel model, List<int[][]> batches) {
    int layers = model.layers();
    int d = model.config().hiddenSize();
    double[] bi = new double[layers];
    double[][] sim = new double[layers][layers];
    long tokens = 0;
    for (int[][] ids : batches) {
      float[][] streams = model.residualStreams(ids);
      int n = ids.length * ids[0].length;
      tokens += n;
      double[] norms = new double[(layers + 1) * n];
      for (int l = 0; l <= layers; l++) {
        for (int r = 0; r < n; r++) {
          norms[l * n + r] = Math.sqrt(dot(streams[l], streams[l], r * d, d));
        }
      }
      for (int l = 0; l < layers; l++) {
        for (int r = 0; r < n; r++) {
          bi[l] +=
              1
                  - cosine(
                      streams[l],
                      streams[l + 1],
                      r * d,
                      d,
                      norms[l * n + r],
                      norms[(l + 1) * n + r]);
        }
        for (int j = l; j < layers; j++) {
          double s = 0;
          for (int r = 0; r < n; r++) {
            s +=
                cosine(
                    streams[l + 1],
                    streams[j + 1],
                    r * d,
                    d,
                    norms[(l + 1) * n + r],
                    norms[(j + 1) * n + r]);
          }
          sim[l][j] += s;
        }
      }
    }
    for (int l = 0; l < layers; l++) {
      bi[l] /= tokens;
      for (int j = l; j < layers; j++) {
        sim[l][j] /= tokens;
        sim[j][l] = sim[l][j];
      }
    }
    double base = meanNll(model, batches);
    double[] cost = new double[layers];
    for (int l = 0; l < layers; l++) {
      float[] g = model.gate(l).value();
      float saved = g[0];
      g[0] = 0f;
      cost[l] = meanNll(model, batches) - base;
      g[0] = saved;
    }
    return new BlockAnalysis(base, bi, sim, cost, tokens);
  }

  /** Mean next-token NLL over all predicted positions of {@code batches}. */
  static double meanNll(TrainableModel model, List<int[][]> batches) {
    double sum = 0;
    long positions = 0;
    NextTokenNll nll = new NextTokenNll();
    for (int[][] ids : batches) {
      long p = (long) ids.length * (ids[0].length - 1);
      sum += model.loss(ids, nll) * p;
      positions += p;
    }
    return sum / positions;
  }

  private static double dot(float[] a, float[] b, int o, int d) {
    double s = 0;
    for (int j = 0; j < d; j++) {
      s += (double) a[o + j] * b[o + j];
    }
    return s;
  }

  private static double cosine(float[] a, float[] b, int o, int d, double na, double nb) {
    if (na == 0 || nb == 0) {
      return 0;
    }
    return dot(a, b, o, d) / (na * nb);
  }
}
