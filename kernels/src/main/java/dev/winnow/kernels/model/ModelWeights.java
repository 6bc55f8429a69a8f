package dev.winnow.kernels.model;

import dev.winnow.kernels.safetensors.DType;
import java.util.List;

/**
 * All weights of a model in float32, in the engine-neutral layout of {@link LayerWeights} (matrices
 * in × out).
 *
 * @param config the hyperparameters the shapes follow
 * @param tokenEmbedding [vocab, d], one row per token
 * @param positionEmbedding [context, d] learned positions (GPT-2), or {@code null} (RoPE)
 * @param layers the blocks, first to last
 * @param finalNormWeight final norm scale [d]
 * @param finalNormBias final LayerNorm shift [d], {@code null} for RMSNorm
 * @param head output projection [d, vocab] (the transposed embedding when the head is tied)
 * @param storedAs the checkpoint's dtype (that of the token embedding)
 */
public record ModelWeights(
    ModelConfig config,
    float[] tokenEmbedding,
    float[] positionEmbedding,
    List<LayerWeights> layers,
    float[] finalNormWeight,
    float[] finalNormBias,
    float[] head,
    DType storedAs) {

  /**
   * RoPE inverse frequencies as Hugging Face transformers holds them for this checkpoint: the
   * {@code inv_freq} buffer is computed in float32 and then cast with the model to the dtype it is
   * loaded in (the stored dtype), so a bfloat16 or float16 checkpoint rotates with frequencies
   * rounded to that dtype even when it then runs in float32. Reproducing this rounding is what
   * makes the engines agree with transformers within 1e-4 (without it, tiny-llama's
   * log-probabilities differ by up to 1e-3 at position 130). {@code null} without RoPE.
   */
  public float[] ropeInverseFrequencies() {
    if (config.rope() == null) {
      return null;
    }
    float[] inv = config.rope().inverseFrequencies(config.headDim());
    for (int i = 0; i < inv.length; i++) {
      inv[i] = storedAs.round(inv[i]);
    }
    return inv;
  }

  /** Total float32 values held, for memory figures; an array shared by blocks counts once. */
  public long floatCount() {
    long n =
        tokenEmbedding.length
            + (positionEmbedding == null ? 0 : positionEmbedding.length)
            + finalNormWeight.length
            + (finalNormBias == null ? 0 : finalNormBias.length)
            + head.length;
    java.util.Set<float[]> seen =
        java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    for (LayerWeights l : layers) {
      for (float[] a :
          new float[][] {
            l.norm1Weight(),
            l.norm1Bias(),
            l.qkvWeight(),
            l.qkvBias(),
            l.outWeight(),
            l.outBias(),
            l.norm2Weight(),
            l.norm2Bias(),
            l.upWeight(),
            l.upBias(),
            l.downWeight(),
            l.downBias()
          }) {
        n += a == null || !seen.add(a) ? 0 : a.length;
      }
    }
    return n;
  }
}
