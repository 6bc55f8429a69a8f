package dev.winnow.selection.budget;

import net.openhft.hashing.LongHashFunction;

/**
 * The ranking key of a candidate: its score for top-k; {@code score/τ + G} for Gumbel top-k, where
 * {@code G = −ln(−ln U)} is standard Gumbel noise and {@code U ∈ (0, 1)} comes from an XXH3 hash of
 * the candidate's id under the seed. Deriving the noise from the id (not from a random stream)
 * makes the bounded and the streaming selector agree, and a re-run with the same seed reproduce the
 * sample whatever the input order.
 */
final class SelectionKeys implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  private final BudgetConfig.Method method;
  private final double temperature;
  private final LongHashFunction hash;

  SelectionKeys(BudgetConfig config) {
    this.method = config.method;
    this.temperature = config.temperature;
    this.hash = LongHashFunction.xx3(config.seed);
  }

  double key(Candidate c) {
    if (method == BudgetConfig.Method.TOP_K) {
      return c.score();
    }
    return c.score() / temperature + gumbel(hash.hashChars(c.id()));
  }

  /** Standard Gumbel from 64 random bits: U uses the top 53 bits, centred so it is never 0 or 1. */
  static double gumbel(long bits) {
    double u = ((bits >>> 11) + 0.5) * 0x1.0p-53;
    return -Math.log(-Math.log(u));
  }
}
