package dev.winnow.prompt.model;

import dev.winnow.kernels.scoring.ScoringSession;
import dev.winnow.kernels.scoring.SessionAppend;
import java.util.List;
import java.util.function.Function;

/**
 * An engine session whose appends go through a shared appender (a batcher of {@link
 * dev.winnow.kernels.scoring.ScoringEngine#appendAll} calls); everything else is the engine
 * session's own. The caller blocks in {@link #append} until the shared call that carried its tokens
 * returns, so the session is never used by two threads at once.
 */
final class AppenderSession implements ScoringSession {
  private final ScoringSession session;
  private final Function<List<SessionAppend>, List<float[]>> appender;

  AppenderSession(ScoringSession session, Function<List<SessionAppend>, List<float[]>> appender) {
    this.session = session;
    this.appender = appender;
  }

  @Override
  public float[] append(int[] tokens) {
    if (tokens.length == 0) {
      return new float[0];
    }
    return appender.apply(List.of(new SessionAppend(session, tokens))).get(0);
  }

  @Override
  public void removeSpan(int from, int to) {
    session.removeSpan(from, to);
  }

  @Override
  public int length() {
    return session.length();
  }

  @Override
  public int[] tokens() {
    return session.tokens();
  }

  @Override
  public void close() {
    session.close();
  }
}
