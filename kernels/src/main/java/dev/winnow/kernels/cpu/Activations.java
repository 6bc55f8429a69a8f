package dev.winnow.kernels.cpu;

/**
 * GELU (tanh form) and SiLU in float32 arithmetic that C2 vectorizes ({@link Math#tanh} and {@link
 * Math#exp} are scalar calls; {@code Math.tanh} is not even an intrinsic on JDK 17).
 *
 * <p>Both from one exponential of a non-positive argument, {@code e = exp(−a)}, {@code a >= 0}, and
 * {@code tanh(a/2) = (1 − e)/(1 + e)} for {@code a >= 0}; odd symmetry is taken out with {@code
 * |x|}, branch-free:
 *
 * <ul>
 *   <li>{@code gelu_tanh(u) = ½u(1 + tanh z)}, {@code z = √(2/π)(u + 0.044715u³)}, and since {@code
 *       z} has the sign of {@code u}, {@code u·tanh z = |u|·tanh|z|}: {@code gelu = ½(u + |u|·(1 −
 *       e)/(1 + e))} with {@code e = exp(−2|z|)}.
 *   <li>{@code silu(g) = g·σ(g) = ½(g + g·tanh(g/2)) = ½(g + |g|·(1 − e)/(1 + e))} with {@code e =
 *       exp(−|g|)}.
 * </ul>
 *
 * {@link #expNonPositive} is {@link NextTokenHead#expShifted}'s polynomial (relative error under
 * 1e-5 for arguments down to −40; below that the terms are under 4e-18 and vanish beside 1).
 */
final class Activations {
  private Activations() {}

  /** {@code exp(x)} for {@code x <= 0} (clamped at −80), vectorizable. */
  static float expNonPositive(float x) {
    float t = Math.max(x, -80f) * 0.015625f;
    float p =
        1f
            + t
                * (1f
                    + t
                        * (0.5f
                            + t
                                * (1.6666667e-1f
                                    + t
                                        * (4.1666668e-2f
                                            + t
                                                * (8.333334e-3f
                                                    + t
                                                        * (1.3888889e-3f
                                                            + t
                                                                * (1.984127e-4f
                                                                    + t
                                                                        * (2.4801588e-5f
                                                                            + t
                                                                                * 2.7557319e-6f))))))));
    p *= p;
    p *= p;
    p *= p;
    p *= p;
    p *= p;
    p *= p;
    return p;
  }

  /**
   * Elements per pass through this thread's scratch rows: every loop below indexes its arrays by
   * the loop counter alone, from 0. C2 on JDK 17 leaves these loops scalar (measured ~8 ns per
   * element against ~0.8 vectorized) when an array is indexed at {@code offset + j} with an offset
   * not known at compile time, as rows of the {@code [N, 2·inter]} gate/up matrix are; so each row
   * is copied to offset 0 (a copy costs well under a tenth of the arithmetic) and the result copied
   * back. Same operations in the same order: the results are bit for bit those of one element at a
   * time.
   */
  private static final int CHUNK = 4096;

  private static final ThreadLocal<float[][]> SCRATCH =
      ThreadLocal.withInitial(() -> new float[][] {new float[CHUNK], new float[CHUNK]});

  /** {@code v[i] = gelu_tanh(v[i])} for {@code from <= i < to}. */
  static void gelu(float[] v, int from, int to) {
    float[] x = SCRATCH.get()[0];
    for (int c = from; c < to; c += CHUNK) {
      int n = Math.min(CHUNK, to - c);
      System.arraycopy(v, c, x, 0, n);
      gelu(x, n);
      System.arraycopy(x, 0, v, c, n);
    }
  }

  private static void gelu(float[] v, int n) {
    for (int i = 0; i < n; i++) {
      float u = v[i];
      float a = Math.abs(u);
      float z = 0.7978846f * (a + 0.044715f * a * a * a);
      float e = expNonPositive(-2f * z);
      v[i] = 0.5f * (u + a * ((1f - e) / (1f + e)));
    }
  }

  /**
   * {@code out[o + j] = silu(gate[g + j]) · up[u + j]} for {@code j < n} (gate and up rows of one
   * array).
   */
  static void swiglu(float[] gateUp, int g, int u, float[] out, int o, int n) {
    float[][] scratch = SCRATCH.get();
    float[] x = scratch[0];
    float[] y = scratch[1];
    for (int c = 0; c < n; c += CHUNK) {
      int w = Math.min(CHUNK, n - c);
      System.arraycopy(gateUp, g + c, x, 0, w);
      System.arraycopy(gateUp, u + c, y, 0, w);
      swiglu(x, y, w);
      System.arraycopy(x, 0, out, o + c, w);
    }
  }

  /** {@code gate[j] = silu(gate[j]) · up[j]} for {@code j < n}. */
  private static void swiglu(float[] gate, float[] up, int n) {
    for (int j = 0; j < n; j++) {
      float x = gate[j];
      float a = Math.abs(x);
      float e = expNonPositive(-a);
      float silu = 0.5f * (x + a * ((1f - e) / (1f + e)));
      gate[j] = silu * up[j];
    }
  }
}
