package dev.winnow.kernels.cpu;

import dev.winnow.kernels.model.Architecture;
import dev.winnow.kernels.model.LayerWeights;
import dev.winnow.kernels.model.ModelConfig;
import dev.winnow.kernels.model.ModelWeights;

/**
 * A deliberately plain forward pass (one position at a time, double accumulations, no threads, no
 * blocking, no cache) with explicit position ids and an explicit attention mask, written
 * independently of {@link CpuForwardPass} to check it, in the manner of llm.c's CPU references.
 */
final class ReferenceForward {
  private final ModelWeights w;
  private final ModelConfig c;

  ReferenceForward(ModelWeights weights) {
    this.w = weights;
    this.c = weights.config();
  }

  /**
   * Next-token log-probability distributions: row {@code i} is {@code log_softmax} of the logits
   * after token {@code i}, where token {@code i} is at position {@code positions[i]} and attends to
   * the tokens {@code j <= i} with {@code visible[i][j]}.
   */
  double[][] logSoftmax(int[] tokens, int[] positions, boolean[][] visible) {
    double[][] hidden = finalHidden(tokens, positions, visible);
    double[][] out = new double[hidden.length][];
    for (int i = 0; i < hidden.length; i++) {
      double[] logits = linear(hidden[i], w.head(), null, c.vocabSize());
      double max = java.util.Arrays.stream(logits).max().getAsDouble();
      double sum = 0;
      for (double z : logits) {
        sum += Math.exp(z - max);
      }
      double lse = max + Math.log(sum);
      for (int e = 0; e < logits.length; e++) {
        logits[e] -= lse;
      }
      out[i] = logits;
    }
    return out;
  }

  /** The last layer's hidden states after the final norm, one row per token. */
  double[][] finalHidden(int[] tokens, int[] positions, boolean[][] visible) {
    int n = tokens.length;
    int d = c.hiddenSize();
    int hd = c.headDim();
    double[][] x = new double[n][d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        x[i][j] =
            w.tokenEmbedding()[tokens[i] * d + j]
                + (w.positionEmbedding() == null ? 0 : w.positionEmbedding()[positions[i] * d + j]);
      }
    }
    float[] inv = w.ropeInverseFrequencies();
    int qDim = c.queryDim();
    int kvDim = c.kvDim();
    for (int l = 0; l < c.layers(); l++) {
      LayerWeights lw = w.layers().get(l);
      double[][] q = new double[n][];
      double[][] k = new double[n][];
      double[][] v = new double[n][];
      for (int i = 0; i < n; i++) {
        double[] h = norm(x[i], lw.norm1Weight(), lw.norm1Bias());
        double[] qkv = linear(h, lw.qkvWeight(), lw.qkvBias(), qDim + 2 * kvDim);
        q[i] = java.util.Arrays.copyOfRange(qkv, 0, qDim);
        k[i] = java.util.Arrays.copyOfRange(qkv, qDim, qDim + kvDim);
        v[i] = java.util.Arrays.copyOfRange(qkv, qDim + kvDim, qDim + 2 * kvDim);
        if (inv != null) {
          rotate(q[i], c.heads(), hd, positions[i], inv);
          rotate(k[i], c.kvHeads(), hd, positions[i], inv);
        }
      }
      double scale = 1 / Math.sqrt(hd) / (c.scaleAttnByInverseLayerIdx() ? l + 1 : 1);
      double[][] attended = new double[n][qDim];
      for (int i = 0; i < n; i++) {
        for (int head = 0; head < c.heads(); head++) {
          int kvHead = head / (c.heads() / c.kvHeads());
          double[] s = new double[i + 1];
          double max = Double.NEGATIVE_INFINITY;
          for (int j = 0; j <= i; j++) {
            if (!visible[i][j]) {
              s[j] = Double.NEGATIVE_INFINITY;
              continue;
            }
            double dot = 0;
            for (int e = 0; e < hd; e++) {
              dot += q[i][head * hd + e] * k[j][kvHead * hd + e];
            }
            s[j] = dot * scale;
            max = Math.max(max, s[j]);
          }
          double sum = 0;
          for (int j = 0; j <= i; j++) {
            s[j] = Math.exp(s[j] - max);
            sum += s[j];
          }
          for (int j = 0; j <= i; j++) {
            for (int e = 0; e < hd; e++) {
              attended[i][head * hd + e] += s[j] / sum * v[j][kvHead * hd + e];
            }
          }
        }
      }
      for (int i = 0; i < n; i++) {
        add(x[i], linear(attended[i], lw.outWeight(), lw.outBias(), d));
        double[] h = norm(x[i], lw.norm2Weight(), lw.norm2Bias());
        int inter = c.intermediateSize();
        double[] act;
        if (c.architecture() == Architecture.GPT2) {
          act = linear(h, lw.upWeight(), lw.upBias(), inter);
          for (int e = 0; e < inter; e++) {
            double u = act[e];
            act[e] = 0.5 * u * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (u + 0.044715 * u * u * u)));
          }
        } else {
          double[] gu = linear(h, lw.upWeight(), lw.upBias(), 2 * inter);
          act = new double[inter];
          for (int e = 0; e < inter; e++) {
            act[e] = gu[e] / (1 + Math.exp(-gu[e])) * gu[inter + e];
          }
        }
        add(x[i], linear(act, lw.downWeight(), lw.downBias(), d));
      }
    }
    double[][] out = new double[n][];
    for (int i = 0; i < n; i++) {
      out[i] = norm(x[i], w.finalNormWeight(), w.finalNormBias());
    }
    return out;
  }

  private double[] norm(double[] x, float[] gamma, float[] beta) {
    int d = x.length;
    double[] y = new double[d];
    if (beta != null) {
      double mean = java.util.Arrays.stream(x).average().getAsDouble();
      double var = 0;
      for (double v : x) {
        var += (v - mean) * (v - mean);
      }
      double inv = 1 / Math.sqrt(var / d + c.normEps());
      for (int j = 0; j < d; j++) {
        y[j] = (x[j] - mean) * inv * gamma[j] + beta[j];
      }
    } else {
      double sq = 0;
      for (double v : x) {
        sq += v * v;
      }
      double inv = 1 / Math.sqrt(sq / d + c.normEps());
      for (int j = 0; j < d; j++) {
        y[j] = x[j] * inv * gamma[j];
      }
    }
    return y;
  }

  /** {@code x · W + b} with W in × out. */
  private static double[] linear(double[] x, float[] weight, float[] bias, int out) {
    double[] y = new double[out];
    for (int o = 0; o < out; o++) {
      y[o] = bias == null ? 0 : bias[o];
    }
    for (int i = 0; i < x.length; i++) {
      for (int o = 0; o < out; o++) {
        y[o] += x[i] * weight[i * out + o];
      }
    }
    return y;
  }

  private static void rotate(double[] v, int heads, int hd, int position, float[] inv) {
    int half = hd / 2;
    for (int h = 0; h < heads; h++) {
      for (int i = 0; i < half; i++) {
        float angle = position * inv[i]; // float32, as transformers
        double a = v[h * hd + i];
        double b = v[h * hd + i + half];
        v[h * hd + i] = a * Math.cos(angle) - b * Math.sin(angle);
        v[h * hd + i + half] = b * Math.cos(angle) + a * Math.sin(angle);
      }
    }
  }

  private static void add(double[] x, double[] y) {
    for (int i = 0; i < x.length; i++) {
      x[i] += y[i];
    }
  }
}
