package dev.winnow.kernels.cpu;

/**
 * The output head and log-softmax: from final hidden states to the log-probability of a target
 * token and the most likely token.
 *
 * <p>{@code ln p(y) = z_y − (max z + ln Σ_v exp(z_v − max z))} with logits {@code z = h · W_head};
 * the sum is accumulated in double. Logits are computed for {@link #ROWS_PER_BLOCK} rows at a time
 * (a {@code [32, vocab]} buffer rather than {@code [N, vocab]}), the product parallel over vocabulary
 * tiles and the reductions parallel over rows.
 */
final class NextTokenHead {
    static final int ROWS_PER_BLOCK = 32;

    private final PackedMatrix head;
    private final int hiddenSize;
    private final int vocabSize;
    private final WorkerPool pool;

    NextTokenHead(float[] head, int hiddenSize, int vocabSize, WorkerPool pool) {
        this.head = PackedMatrix.pack(head, hiddenSize, vocabSize);
        this.hiddenSize = hiddenSize;
        this.vocabSize = vocabSize;
        this.pool = pool;
    }

    /**
     * For rows {@code r < rows} of {@code hidden [rows, d]}: {@code argmax[r]} and, where
     * {@code targets[r] >= 0}, {@code logProbs[r] = ln p(targets[r])} (NaN where {@code targets[r] < 0}).
     */
    void apply(float[] hidden, int rows, int[] targets, float[] logProbs, int[] argmax) {
        int d = hiddenSize;
        int v = vocabSize;
        int blockRows = Math.min(ROWS_PER_BLOCK, rows);
        float[] block = new float[blockRows * d];
        float[] logits = new float[blockRows * v];
        for (int r0 = 0; r0 < rows; r0 += blockRows) {
            int n = Math.min(blockRows, rows - r0);
            System.arraycopy(hidden, r0 * d, block, 0, n * d);
            MatMul.multiply(pool, block, n, head, null, logits, false);
            final int first = r0;
            pool.forEach(n, i -> {
                int o = i * v;
                float max = Float.NEGATIVE_INFINITY;
                int best = 0;
                for (int j = 0; j < v; j++) {
                    float z = logits[o + j];
                    if (z > max) {
                        max = z;
                        best = j;
                    }
                }
                argmax[first + i] = best;
                int target = targets[first + i];
                if (target < 0) {
                    logProbs[first + i] = Float.NaN;
                    return;
                }
                double sum = 0;
                for (int j = 0; j < v; j++) {
                    sum += Math.exp(logits[o + j] - max);
                }
                logProbs[first + i] = (float) (logits[o + target] - max - Math.log(sum));
            });
        }
    }
}
