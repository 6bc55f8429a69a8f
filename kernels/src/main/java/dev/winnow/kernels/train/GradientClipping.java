package dev.winnow.kernels.train;

import java.util.List;

/**
 * Global-norm gradient clipping as {@code torch.nn.utils.clip_grad_norm_}: with {@code ‖g‖} the L2
 * norm of all gradients together, every gradient is multiplied by {@code min(1, max / (‖g‖ +
 * 1e-6))}.
 */
public final class GradientClipping {
  private GradientClipping() {}

  /** Clips in place; returns the norm before clipping (summed in double, in parameter order). */
  public static double clipGlobalNorm(List<Parameter> parameters, double maxNorm) {
    if (!(maxNorm > 0)) {
      throw new IllegalArgumentException(
          "illegal maximum gradient norm " + maxNorm + ": must be positive");
    }
    double sq = 0;
    for (Parameter p : parameters) {
      for (float g : p.grad()) {
        sq += (double) g * g;
      }
    }
    double norm = Math.sqrt(sq);
    double coef = maxNorm / (norm + 1e-6);
    if (coef < 1) {
      for (Parameter p : parameters) {
        float[] g = p.grad();
        for (int j = 0; j < g.length; j++) {
          g[j] = (float) (g[j] * coef);
        }
      }
    }
    return norm;
  }
}
