package dev.winnow.kernels.scoring;

/**
 * One {@link ScoringSession#append} in a batch of appends to different sessions ({@link
 * ScoringEngine#appendAll}).
 *
 * @param session the session to append to
 * @param tokens the tokens to append
 */
public record SessionAppend(ScoringSession session, int[] tokens) {
  public SessionAppend {
    if (session == null || tokens == null) {
      throw new IllegalArgumentException("a session append needs a session and tokens");
    }
  }
}
