package dev.winnow.kernels.scoring;

/**
 * The instruction-following difficulty of one (prompt, response) pair.
 *
 * @param promptTokens prompt tokens used as context (after truncation to the context length)
 * @param responseTokens response tokens scored (after truncation)
 * @param conditionalNll mean NLL of the response tokens given the prompt, over all response tokens
 * @param unconditionalNll mean NLL of the response alone, over its tokens but the first (nothing
 *     predicts it)
 */
public record IfdScore(
    int promptTokens, int responseTokens, double conditionalNll, double unconditionalNll) {

  /** {@code PPL(response | prompt)}. */
  public double conditionalPerplexity() {
    return Math.exp(conditionalNll);
  }

  /** {@code PPL(response)}. */
  public double unconditionalPerplexity() {
    return Math.exp(unconditionalNll);
  }

  /**
   * IFD {@code = PPL(response | prompt) / PPL(response)}: below 1 the prompt helps predict the
   * response (easy to follow), near or above 1 it does not; NaN for a response of fewer than 2
   * tokens.
   */
  public double ifd() {
    return Math.exp(conditionalNll - unconditionalNll);
  }
}
