package dev.winnow.kernels.scoring;

/**
 * Perplexity formulas over natural-log probabilities.
 *
 * <ul>
 *   <li>total NLL {@code = −Σ ln p(tᵢ | t<ᵢ)} over the scored tokens;
 *   <li>mean NLL {@code = total / scored tokens}; token perplexity {@code = exp(mean NLL)};
 *   <li>per-word perplexity (CCNet, Wenzek et al. 2020) {@code = exp(total NLL / words)}, with
 *       words counted as maximal runs of non-whitespace characters, which makes scores comparable
 *       across tokenizers.
 * </ul>
 */
public final class Perplexity {
  private Perplexity() {}

  /** {@code −Σ logProbs} in double. */
  public static double totalNll(float[] logProbs) {
    double sum = 0;
    for (float lp : logProbs) {
      sum -= lp;
    }
    return sum;
  }

  /** Mean negative log-probability; NaN for an empty array. */
  public static double meanNll(float[] logProbs) {
    return logProbs.length == 0 ? Double.NaN : totalNll(logProbs) / logProbs.length;
  }

  /** {@code exp(meanNll)}. */
  public static double perplexity(float[] logProbs) {
    return Math.exp(meanNll(logProbs));
  }

  /** Per-word perplexity {@code exp(totalNll / words)}; NaN when there are no words. */
  public static double perWordPerplexity(double totalNll, int words) {
    return words == 0 ? Double.NaN : Math.exp(totalNll / words);
  }

  /** Number of maximal runs of non-whitespace characters (Unicode whitespace). */
  public static int countWords(CharSequence text) {
    int words = 0;
    boolean inWord = false;
    for (int i = 0; i < text.length(); ) {
      int cp = Character.codePointAt(text, i);
      boolean space = Character.isWhitespace(cp) || Character.isSpaceChar(cp);
      if (!space && !inWord) {
        words++;
      }
      inWord = !space;
      i += Character.charCount(cp);
    }
    return words;
  }
}
