package dev.winnow.kernels.scoring;

/**
 * The language-model score of one document.
 *
 * @param tokens number of tokens of the document
 * @param scoredTokens tokens with a log-probability: all but the first ({@code max(0, tokens − 1)})
 * @param totalNll sum of the negative natural-log probabilities of the scored tokens
 * @param words whitespace-separated words of the text ({@link Perplexity#countWords}), 0 when
 *     scored from ids
 */
public record DocumentScore(int tokens, int scoredTokens, double totalNll, int words) {

  /**
   * {@code totalNll / scoredTokens}; NaN when no token is scored (empty or one-token documents).
   */
  public double meanNll() {
    return scoredTokens == 0 ? Double.NaN : totalNll / scoredTokens;
  }

  /** Token-level perplexity {@code exp(meanNll)}; NaN when no token is scored. */
  public double perplexity() {
    return Math.exp(meanNll());
  }

  /** CCNet per-word perplexity {@code exp(totalNll / words)}; NaN without words. */
  public double perWordPerplexity() {
    return Perplexity.perWordPerplexity(totalNll, words);
  }
}
