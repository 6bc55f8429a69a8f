package dev.winnow.kernels.model;

/**
 * Rotary position embedding settings.
 *
 * <p>Inverse frequencies {@code inv_freq[i] = 1 / theta^(2i / d)} for {@code i < d/2} ({@code d} =
 * head dimension), computed in float32 as Hugging Face does. Scaling:
 *
 * <ul>
 *   <li>{@code default}: none.
 *   <li>{@code linear}: {@code inv_freq / factor}.
 *   <li>{@code llama3} (Llama 3.1): with wavelength {@code w = 2π / inv_freq} and original context
 *       {@code L}, frequencies with {@code w > L / low_freq_factor} are divided by {@code factor},
 *       those with {@code w < L / high_freq_factor} are kept, and those between are interpolated
 *       with {@code s = (L / w − low) / (high − low)}: {@code (1 − s) · inv_freq / factor + s ·
 *       inv_freq}.
 * </ul>
 *
 * @param theta the base ({@code rope_theta})
 * @param type {@code default}, {@code linear} or {@code llama3}
 * @param factor scaling factor (1 for default)
 * @param lowFreqFactor llama3 {@code low_freq_factor}
 * @param highFreqFactor llama3 {@code high_freq_factor}
 * @param originalMaxPositions llama3 {@code original_max_position_embeddings}
 */
public record RopeConfig(
    double theta,
    String type,
    double factor,
    double lowFreqFactor,
    double highFreqFactor,
    int originalMaxPositions) {

  public RopeConfig {
    if (!(theta > 0) || Double.isInfinite(theta)) {
      throw new IllegalArgumentException(
          "illegal rope_theta " + theta + ": must be a positive finite value");
    }
    if (!(type.equals("default") || type.equals("linear") || type.equals("llama3"))) {
      throw new IllegalArgumentException(
          "unsupported rope scaling type '" + type + "': supported are default, linear and llama3");
    }
    if (!(factor > 0)) {
      throw new IllegalArgumentException(
          "illegal rope scaling factor " + factor + ": must be positive");
    }
  }

  /** Plain RoPE with base {@code theta}. */
  public static RopeConfig unscaled(double theta) {
    return new RopeConfig(theta, "default", 1, 0, 0, 0);
  }

  /** The {@code headDim / 2} inverse frequencies, scaling applied. */
  public float[] inverseFrequencies(int headDim) {
    int half = headDim / 2;
    float[] inv = new float[half];
    for (int i = 0; i < half; i++) {
      // float32 like transformers: 1 / (base ** (arange(0, dim, 2).float() / dim))
      float exponent = (float) (2 * i) / (float) headDim;
      inv[i] = (float) (1.0 / (float) Math.pow(theta, exponent));
    }
    if (type.equals("linear")) {
      for (int i = 0; i < half; i++) {
        inv[i] = (float) (inv[i] / factor);
      }
    } else if (type.equals("llama3")) {
      double lowWavelen = originalMaxPositions / lowFreqFactor;
      double highWavelen = originalMaxPositions / highFreqFactor;
      for (int i = 0; i < half; i++) {
        double f = inv[i];
        double wavelen = 2 * Math.PI / f;
        double scaled = wavelen > lowWavelen ? f / factor : f;
        if (!(wavelen < highWavelen) && !(wavelen > lowWavelen)) {
          double s =
              (originalMaxPositions / wavelen - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
          scaled = (1 - s) * scaled / factor + s * scaled;
        }
        inv[i] = (float) scaled;
      }
    }
    return inv;
  }
}
