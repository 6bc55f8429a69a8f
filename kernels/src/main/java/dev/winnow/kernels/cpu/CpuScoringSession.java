package dev.winnow.kernels.cpu;

import dev.winnow.kernels.scoring.ScoringSession;
import java.util.Arrays;

/**
 * A {@link ScoringSession} on the CPU: one {@link KvCache}; appended tokens get position ids
 * continuing from the cache length. The final hidden state of every cached position is kept, so
 * the first appended token is scored from the last cached position's next-token distribution
 * (as computed when that position was appended).
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
        int n = tokens.length;
        if (n == 0) {
            return new float[0];
        }
        int before = cache.length;
        if (before + n > engine.contextLength()) {
            throw new IllegalArgumentException("appending " + n + " tokens to a session of " + before
                    + " would exceed the context length " + engine.contextLength() + "; remove a span first");
        }
        int d = engine.config().hiddenSize();
        engine.forwardPass().forward(new int[][] {tokens}, new int[][] {CpuScoringEngine.range(before, before + n)},
                new KvCache[] {cache});
        // rows predicting each appended token: the previous cached position, then the new ones but the last
        int first = before == 0 ? 1 : 0;
        int rows = n - first;
        float[] out = new float[n];
        out[0] = Float.NaN;
        if (rows == 0) {
            return out;
        }
        float[] hidden = new float[rows * d];
        int[] targets = new int[rows];
        int startPosition = before == 0 ? 0 : before - 1;
        System.arraycopy(cache.hidden, startPosition * d, hidden, 0, rows * d);
        System.arraycopy(tokens, first, targets, 0, rows);
        float[] logProbs = new float[rows];
        engine.head().apply(hidden, rows, targets, logProbs, new int[rows]);
        System.arraycopy(logProbs, 0, out, first, rows);
        return out;
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
