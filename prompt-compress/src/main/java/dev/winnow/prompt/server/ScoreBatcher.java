package dev.winnow.prompt.server;

import dev.winnow.kernels.scoring.BatchingScorer;
import dev.winnow.kernels.scoring.ScoringEngine;
import dev.winnow.kernels.scoring.TokenLogProbs;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * Puts the whole-sequence scoring of concurrent compression requests (context ranking, the sentence
 * filter, Selective Context's self-information: everything that goes through
 * {@link dev.winnow.prompt.model.ProxyLm#scoreAll}) into shared engine calls through one
 * {@link BatchingScorer}. A request's sequences travel together; the engine batches without padding,
 * so each sequence gets exactly the log-probabilities it gets alone. The KV-cached token-level step
 * (sessions) is not batched: it runs per request on the request's worker.
 */
final class ScoreBatcher implements AutoCloseable {
    private final BatchingScorer<int[], TokenLogProbs> batcher;

    ScoreBatcher(ScoringEngine engine, int maxBatch, long maxWaitMillis) {
        this.batcher = new BatchingScorer<>(engine::score, maxBatch, maxWaitMillis, "winnow-score-batcher");
    }

    /** {@link ScoringEngine#score} of {@code sequences}, in a call shared with other requests. */
    List<TokenLogProbs> score(List<int[]> sequences) {
        try {
            return batcher.submitAll(sequences).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for token scores", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /** The shared batcher, to hold it in tests. */
    BatchingScorer<int[], TokenLogProbs> batcher() {
        return batcher;
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

    @Override
    public void close() {
        batcher.close();
    }
}
