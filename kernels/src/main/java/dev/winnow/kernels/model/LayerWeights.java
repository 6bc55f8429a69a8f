package dev.winnow.kernels.model;

/**
 * One transformer block's weights in float32. Matrices are row-major in × out, so that {@code y = x
 * · W} runs along contiguous rows of {@code W} (the layout the CPU kernel vectorizes).
 *
 * @param norm1Weight pre-attention norm scale [d]
 * @param norm1Bias pre-attention LayerNorm shift [d], {@code null} for RMSNorm
 * @param qkvWeight fused query, key and value projection [d, qDim + 2·kvDim], columns q | k | v
 * @param qkvBias its bias [qDim + 2·kvDim], or {@code null}
 * @param outWeight attention output projection [qDim, d]
 * @param outBias its bias [d], or {@code null}
 * @param norm2Weight pre-MLP norm scale [d]
 * @param norm2Bias pre-MLP LayerNorm shift [d], {@code null} for RMSNorm
 * @param upWeight GPT-2: {@code c_fc} [d, I]; SwiGLU: gate and up fused [d, 2I], columns gate | up
 * @param upBias its bias, or {@code null}
 * @param downWeight MLP output projection [I, d]
 * @param downBias its bias [d], or {@code null}
 */
public record LayerWeights(
    float[] norm1Weight,
    float[] norm1Bias,
    float[] qkvWeight,
    float[] qkvBias,
    float[] outWeight,
    float[] outBias,
    float[] norm2Weight,
    float[] norm2Bias,
    float[] upWeight,
    float[] upBias,
    float[] downWeight,
    float[] downBias) {}
