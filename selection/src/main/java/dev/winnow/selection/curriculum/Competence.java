package dev.winnow.selection.curriculum;

/**
 * Competence functions of competence-based curriculum learning (Platanios et al. 2019,
 * "Competence-based Curriculum Learning for Neural Machine Translation"): the fraction of the
 * training data, easiest first, a model may see at time {@code t} of a curriculum of length {@code
 * T}, starting at {@code c0}.
 *
 * <ul>
 *   <li>linear: {@code c(t) = min(1, t(1 − c0)/T + c0)}
 *   <li>square root: {@code c(t) = min(1, sqrt(t(1 − c0²)/T + c0²))} — admits new data fast at
 *       first and slowly later, giving each newly admitted example about the same training time.
 * </ul>
 */
public enum Competence {
  LINEAR,
  SQRT;

  /** {@code c(t)} for {@code 0 <= t}, {@code T > 0}, {@code 0 < c0 <= 1}. */
  public double at(double t, double total, double c0) {
    if (!(t >= 0) || !(total > 0) || !(c0 > 0 && c0 <= 1)) {
      throw new IllegalArgumentException(
          "illegal competence arguments t="
              + t
              + ", T="
              + total
              + ", c0="
              + c0
              + ": need t >= 0, T > 0, 0 < c0 <= 1");
    }
    double c =
        switch (this) {
          case LINEAR -> t * (1 - c0) / total + c0;
          case SQRT -> Math.sqrt(t * (1 - c0 * c0) / total + c0 * c0);
        };
    return Math.min(1.0, c);
  }
}
