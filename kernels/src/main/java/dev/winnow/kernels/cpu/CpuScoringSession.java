package dev.winnow.kernels.cpu;

import dev.winnow.kernels.scoring.ScoringSession;
import dev.winnow.kernels.scoring.SessionAppend;
import java.util.Arrays;
import java.util.List;

/**
 * A {@link ScoringSession} on the CPU: one {@link KvCache}; appended tokens get position ids
 * continuing from the cache length. The final hidden state of every cached position is kept, so the
 * first appended token is scored from the last cached position's next-token distribution (as
 * computed when that position was appended).
 */
final class CpuScoringSession implements ScoringSession {
  private final CpuScoringEngine engine;
  private final KvCache cache;

  CpuScoringSession(CpuScoringEngine engine) {
    this.engine = engine;
    this.cache = engine.forwardPass().newCache(64);
  }

  @Override
  public float[] append(int[] tokens) {
    return engine.appendAll(List.of(new SessionAppend(this, tokens))).get(0);
  }

  KvCache cache() {
    return cache;
  }

  CpuScoringEngine engine() {
    return engine;
  }

  @Override
  public void removeSpan(int from, int to) {
    cache.removeSpan(from, to);
  }

  @Override
  public int length() {
    return cache.length;
  }

  @Override
  public int[] tokens() {
    return Arrays.copyOf(cache.tokens, cache.length);
  }

  /** Position ids of the cached entries, in cache order (they repeat after a removal). */
  int[] positions() {
    return Arrays.copyOf(cache.positions, cache.length);
  }

  @Override
  public void close() {
    // heap only: nothing to release
  }
}
