package dev.winnow.kernels.train;

import dev.winnow.kernels.cpu.WorkerPool;

/**
 * Knowledge distillation (Hinton et al., arXiv 1503.02531): {@code τ² · mean over all B·T positions
 * of KL(softmax(teacher/τ) ‖ softmax(student/τ))}, the {@code τ²} keeping gradient magnitudes
 * comparable across temperatures. Gradient with respect to the student logits: {@code (τ / (B·T)) ·
 * (softmax(student/τ) − softmax(teacher/τ))}.
 */
public final class Distillation implements TrainingLoss {
  private final float[] teacherLogits;
  private final double temperature;

  /**
   * @param teacherLogits {@code [B·T, vocab]}, row-major as the student's
   * @param temperature τ, positive
   */
  public Distillation(float[] teacherLogits, double temperature) {
    if (!(temperature > 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException(
          "illegal distillation temperature " + temperature + ": must be a positive finite value");
    }
    this.teacherLogits = teacherLogits;
    this.temperature = temperature;
  }

  @Override
  public double lossAndGradient(int[][] ids, float[] logits, int vocab, WorkerPool pool) {
    int rows = ids.length * ids[0].length;
    if (teacherLogits.length != (long) rows * vocab) {
      throw new IllegalArgumentException(
          "teacher logits hold "
              + teacherLogits.length
              + " values; a batch of "
              + rows
              + " positions × "
              + vocab
              + " vocabulary needs "
              + (long) rows * vocab);
    }
    double tau = temperature;
    double inv = 1.0 / tau;
    double gradScale = tau / rows;
    double[] rowLoss = new double[rows];
    pool.forEach(
        rows,
        r -> {
          int o = r * vocab;
          double lseS = Softmax.logSumExp(logits, o, vocab, inv);
          double lseT = Softmax.logSumExp(teacherLogits, o, vocab, inv);
          double kl = 0;
          for (int j = 0; j < vocab; j++) {
            double logP = teacherLogits[o + j] * inv - lseT;
            double logQ = logits[o + j] * inv - lseS;
            double p = Math.exp(logP);
            kl += p * (logP - logQ);
            logits[o + j] = (float) (gradScale * (Math.exp(logQ) - p));
          }
          rowLoss[r] = kl;
        });
    double sum = 0;
    for (double l : rowLoss) {
      sum += l;
    }
    return tau * tau * sum / rows;
  }
}
