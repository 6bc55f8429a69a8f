package dev.winnow.prompt.llmlingua;

/**
 * Python slice bounds, so that compat mode reproduces the reference's index arithmetic exactly,
 * negative indices included ({@code a[:-3]}, {@code a[end:]} with a negative {@code end}).
 */
final class PySlice {
  private PySlice() {}

  /**
   * The effective start or stop of {@code a[i:]} / {@code a[:i]} for a sequence of length {@code
   * n}.
   */
  static int bound(int i, int n) {
    if (i < 0) {
      i += n;
      return Math.max(i, 0);
    }
    return Math.min(i, n);
  }
}
