package dev.winnow.kernels.scoring;

/**
 * Next-token log-probabilities of one sequence.
 *
 * <p>{@code logProbs[i] = ln p(tokens[i+1] | tokens[0..i])} (natural log), so there are {@code
 * tokens.length − 1} of them: the first token is not scored. {@code argmax[i]} is the most likely
 * token after {@code tokens[0..i]}, one per token (the last predicts past the end).
 *
 * @param tokens the scored token ids
 * @param logProbs log-probabilities of the next tokens, length {@code tokens.length − 1} (0 if
 *     empty)
 * @param argmax most likely next token after each prefix, length {@code tokens.length}
 */
public record TokenLogProbs(int[] tokens, float[] logProbs, int[] argmax) {

  public TokenLogProbs {
    if (logProbs.length != Math.max(0, tokens.length - 1) || argmax.length != tokens.length) {
      throw new IllegalArgumentException(
          "illegal lengths: "
              + tokens.length
              + " tokens need "
              + Math.max(0, tokens.length - 1)
              + " log-probs and "
              + tokens.length
              + " argmax ids, got "
              + logProbs.length
              + " and "
              + argmax.length);
    }
  }

  /** Sum of the negative log-probabilities (nats). */
  public double totalNll() {
    return Perplexity.totalNll(logProbs);
  }

  /** Mean negative log-likelihood per scored token (nats); NaN when nothing is scored. */
  public double meanNll() {
    return Perplexity.meanNll(logProbs);
  }

  /** Token-level perplexity {@code exp(meanNll)}. */
  public double perplexity() {
    return Math.exp(meanNll());
  }
}
