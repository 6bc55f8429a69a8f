package dev.winnow.kernels.fold;

import java.util.Locale;

/** How the blocks to remove are chosen. */
public enum FoldMethod {
  /**
   * FoldGPT's gated removal: learnable block gates trained against the original model with a
   * polarising regulariser and a depth (FLOPs) constraint; the blocks with the lowest gates go.
   */
  GATES,
  /**
   * ShortGPT (arXiv 2403.03853): the blocks of lowest block influence {@code 1 − cos(x_i, x_i+1)}.
   */
  BI,
  /** SLEB (arXiv 2402.09025): greedily the block whose bypass raises calibration NLL least. */
  SLEB;

  /** {@code gates}, {@code bi} or {@code sleb}, any case. */
  public static FoldMethod parse(String value) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown fold method '" + value + "': use gates, bi or sleb");
    }
  }

  /** The lower-case name used on the command line and in fold.json. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
