package dev.winnow.kernels.train;

import java.util.List;

/**
 * AdamW (Loshchilov and Hutter, arXiv 1711.05101) as {@code torch.optim.AdamW}: per element, with
 * step {@code t}, {@code p ← p·(1 − lr·λ)} (decoupled weight decay, only on parameters whose {@link
 * Parameter#decayed} is set: matrices, not norms, biases, gates or scales), {@code m ← β₁m + (1 −
 * β₁)g}, {@code v ← β₂v + (1 − β₂)g²}, {@code p ← p − lr · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) +
 * ε)}. Moments in float32; each element's update in double, so a step is deterministic.
 */
public final class AdamW {

  /**
   * @param learningRate lr, positive
   * @param beta1 first-moment decay in [0, 1)
   * @param beta2 second-moment decay in [0, 1)
   * @param epsilon added to the root of the second moment, positive
   * @param weightDecay λ, at least 0
   */
  public record Settings(
      double learningRate, double beta1, double beta2, double epsilon, double weightDecay) {
    public Settings {
      check("learning rate", learningRate, learningRate > 0);
      check("beta1", beta1, beta1 >= 0 && beta1 < 1);
      check("beta2", beta2, beta2 >= 0 && beta2 < 1);
      check("epsilon", epsilon, epsilon > 0);
      check("weight decay", weightDecay, weightDecay >= 0);
    }

    private static void check(String what, double value, boolean ok) {
      if (!ok || Double.isNaN(value) || Double.isInfinite(value)) {
        throw new IllegalArgumentException(
            "illegal AdamW " + what + " " + value + ": see AdamW.Settings for the allowed range");
      }
    }

    /** PyTorch's defaults (β = 0.9, 0.999; ε = 1e-8; λ = 0.01) at the given learning rate. */
    public static Settings defaults(double learningRate) {
      return new Settings(learningRate, 0.9, 0.999, 1e-8, 0.01);
    }
  }

  private final List<Parameter> parameters;
  private final Settings settings;
  private final float[][] m;
  private final float[][] v;
  private int step;

  /** Optimises {@code parameters} (all trainable) with {@code settings}. */
  public AdamW(List<Parameter> parameters, Settings settings) {
    for (Parameter p : parameters) {
      if (!p.trainable()) {
        throw new IllegalArgumentException(
            "parameter " + p.name() + " is frozen: pass TrainableModel.trainableParameters()");
      }
    }
    this.parameters = List.copyOf(parameters);
    this.settings = settings;
    this.m = new float[parameters.size()][];
    this.v = new float[parameters.size()][];
    for (int i = 0; i < parameters.size(); i++) {
      m[i] = new float[parameters.get(i).size()];
      v[i] = new float[parameters.get(i).size()];
    }
  }

  /** Steps taken so far. */
  public int steps() {
    return step;
  }

  /** One update from the parameters' current gradients (it does not zero them). */
  public void step() {
    step(settings.learningRate());
  }

  /**
   * One update at {@code lr} instead of the settings' rate (a schedule: warm-up, decay); the decay
   * is {@code lr · λ} as in PyTorch, where a scheduler changes the group's lr.
   */
  public void step(double lr) {
    if (!(lr >= 0) || Double.isInfinite(lr)) {
      throw new IllegalArgumentException("illegal learning rate " + lr + ": must be 0 or more");
    }
    step++;
    double b1 = settings.beta1();
    double b2 = settings.beta2();
    double bc1 = 1 - Math.pow(b1, step);
    double bc2 = 1 - Math.pow(b2, step);
    double eps = settings.epsilon();
    for (int i = 0; i < parameters.size(); i++) {
      Parameter p = parameters.get(i);
      float[] w = p.value();
      float[] g = p.grad();
      float[] mi = m[i];
      float[] vi = v[i];
      double decay = p.decayed() ? 1 - lr * settings.weightDecay() : 1;
      for (int j = 0; j < w.length; j++) {
        double gj = g[j];
        double mj = b1 * mi[j] + (1 - b1) * gj;
        double vj = b2 * vi[j] + (1 - b2) * gj * gj;
        mi[j] = (float) mj;
        vi[j] = (float) vj;
        w[j] = (float) (w[j] * decay - lr * (mj / bc1) / (Math.sqrt(vj / bc2) + eps));
      }
    }
  }
}
