package dev.winnow.prompt.selective;

import dev.winnow.kernels.scoring.TokenLogProbs;
import dev.winnow.prompt.model.ProxyLm;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Self-information of every token of a text under the proxy model, {@code I(x_i) = −ln p(x_i |
 * x_<i)} in nats (Selective Context, Li et al., EMNLP 2023, eq. 1).
 *
 * <p>Texts longer than the model's context are scored in windows of {@code window} tokens that
 * overlap by half: each window predicts the tokens the previous one did not reach, with at least
 * {@code window / 2} tokens of context before them. All windows go to the engine in one batch.
 *
 * <p>The first token has no context to be predicted from; it gets the mean self-information of the
 * other tokens (the paper's code prepends a BOS token instead, which not every proxy model has). A
 * one-token text has self-information 0.
 */
final class SelfInformation {
  private final ProxyLm lm;
  private final int window;

  SelfInformation(ProxyLm lm) {
    this(lm, lm.maxPositions());
  }

  /** With a smaller window than the model's context, for tests. */
  SelfInformation(ProxyLm lm, int window) {
    if (window < 2 || window > lm.maxPositions()) {
      throw new IllegalArgumentException(
          "illegal window "
              + window
              + ": must be in [2, "
              + lm.maxPositions()
              + "] (the model's context)");
    }
    this.lm = lm;
    this.window = window;
  }

  /** One value per token of {@code ids}. */
  double[] of(int[] ids) {
    int n = ids.length;
    double[] info = new double[n];
    if (n < 2) {
      return info;
    }
    int stride = window / 2;
    List<int[]> windows = new ArrayList<>();
    List<Integer> starts = new ArrayList<>();
    for (int p = 0; ; p += stride) {
      int end = Math.min(p + window, n);
      windows.add(Arrays.copyOfRange(ids, p, end));
      starts.add(p);
      if (end == n) {
        break;
      }
    }
    List<TokenLogProbs> scored = lm.scoreAll(windows);
    int done = 1;
    for (int w = 0; w < windows.size(); w++) {
      int p = starts.get(w);
      float[] logProbs = scored.get(w).logProbs();
      for (int t = done; t < p + windows.get(w).length; t++) {
        info[t] = -logProbs[t - p - 1];
      }
      done = p + windows.get(w).length;
    }
    double sum = 0;
    for (int t = 1; t < n; t++) {
      sum += info[t];
    }
    info[0] = sum / (n - 1);
    return info;
  }
}
