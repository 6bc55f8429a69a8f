package dev.winnow.kernels.train;

import dev.winnow.kernels.cpu.WorkerPool;

/** A loss over the logits of a batch, and its gradient with respect to those logits. */
public interface TrainingLoss {

  /**
   * Computes the loss of {@code logits [B·T, vocab]} (row {@code b·T + t} predicts the token after
   * {@code ids[b][t]}) and overwrites {@code logits} with d loss / d logits. Deterministic: per-row
   * terms are summed in row order whatever the pool's thread count.
   */
  double lossAndGradient(int[][] ids, float[] logits, int vocab, WorkerPool pool);
}
