package dev.winnow.prompt.server;

import dev.winnow.kernels.scoring.BatchingScorer;
import dev.winnow.kernels.scoring.ScoringEngine;
import dev.winnow.kernels.scoring.SessionAppend;
import dev.winnow.kernels.scoring.TokenLogProbs;
import dev.winnow.prompt.model.ProxyLm;
import java.util.List;

/**
 * Puts the model work of concurrent compression requests into shared engine calls, through two
 * {@link BatchingScorer}s (one worker thread each):
 *
 * <ul>
 *   <li>whole-sequence scoring (context ranking, the sentence filter, Selective Context's
 *       self-information: everything that goes through {@link ProxyLm#scoreAll}) into {@link
 *       ScoringEngine#score} calls; a request's sequences travel together;
 *   <li>the KV-cached token-level step (LLMLingua's iterative windows, words mode): each window's
 *       append to a request's session goes into an {@link ScoringEngine#appendAll} call with the
 *       appends of other requests' sessions, one forward pass over all their new tokens.
 * </ul>
 *
 * The engine batches without padding, so each sequence and each append gets exactly what it gets
 * alone.
 */
final class ScoreBatcher implements AutoCloseable {
  private final BatchingScorer<int[], TokenLogProbs> batcher;
  private final BatchingScorer<SessionAppend, float[]> appends;

  ScoreBatcher(ScoringEngine engine, int maxBatch, long maxWaitMillis) {
    this.batcher =
        new BatchingScorer<>(engine::score, maxBatch, maxWaitMillis, "winnow-score-batcher");
    this.appends =
        new BatchingScorer<>(engine::appendAll, maxBatch, maxWaitMillis, "winnow-session-batcher");
  }

  /**
   * {@code lm} with its whole-sequence scoring and its sessions' appends going through the shared
   * calls.
   */
  ProxyLm view(ProxyLm lm) {
    return lm.withSequenceScorer(this::score).withSessionAppender(this::append);
  }

  /** {@link ScoringEngine#score} of {@code sequences}, in a call shared with other requests. */
  List<TokenLogProbs> score(List<int[]> sequences) {
    return batcher.callAll(sequences);
  }

  /**
   * {@link ScoringEngine#appendAll} of one request's appends, in a forward pass shared with other
   * requests.
   */
  List<float[]> append(List<SessionAppend> sessionAppends) {
    return appends.callAll(sessionAppends);
  }

  /** The whole-sequence batcher, to hold it in tests. */
  BatchingScorer<int[], TokenLogProbs> batcher() {
    return batcher;
  }

  /** The session-append batcher, to hold it in tests. */
  BatchingScorer<SessionAppend, float[]> appendBatcher() {
    return appends;
  }

  long calls() {
    return batcher.batches();
  }

  long sequences() {
    return batcher.documents();
  }

  long submissions() {
    return batcher.submissions();
  }

  long appendCalls() {
    return appends.batches();
  }

  long appends() {
    return appends.documents();
  }

  @Override
  public void close() {
    batcher.close();
    appends.close();
  }
}
