package dev.winnow.selection.quality;

/** Formats the human-readable bound of a {@link Rejection}: {@code "< 50"}, {@code "> 0.1"}. */
final class Thresholds {

  private Thresholds() {}

  static String of(String op, double bound) {
    return op + " " + number(bound);
  }

  static String number(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }
}
