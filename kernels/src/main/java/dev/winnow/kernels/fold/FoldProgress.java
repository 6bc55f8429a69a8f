package dev.winnow.kernels.fold;

/** Where {@link Folder} reports what it is doing (the CLI draws a progress bar from it). */
public interface FoldProgress {
  /** A training step of {@code phase} ({@code gates} or {@code distill}) finished. */
  void step(String phase, int step, int steps, double loss, double tokensPerSecond);

  /** A finished part, in one line. */
  void message(String line);

  /** Reports nothing. */
  static FoldProgress silent() {
    return new FoldProgress() {
      @Override
      public void step(String phase, int step, int steps, double loss, double tokensPerSecond) {}

      @Override
      public void message(String line) {}
    };
  }
}
