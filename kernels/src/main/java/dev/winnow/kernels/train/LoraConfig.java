package dev.winnow.kernels.train;

/**
 * LoRA adapters on every projection matrix (q, k, v, o, gate, up, down; GPT-2's c_attn, attn
 * c_proj, c_fc, mlp c_proj): {@code y += (alpha / rank) · x · Aᵀ · Bᵀ} with {@code A [rank, in]}
 * drawn uniformly from {@code ±1/√in} (PEFT's Kaiming-uniform with a = √5) from {@code seed}, and
 * {@code B [out, rank]} zero, so that a fresh adapter leaves the model unchanged (Hu et al., arXiv
 * 2106.09685).
 *
 * @param rank r, at least 1
 * @param alpha the scaling numerator; the update is scaled by alpha / r
 * @param seed seeds A's initialisation
 */
public record LoraConfig(int rank, double alpha, long seed) {
  public LoraConfig {
    if (rank < 1) {
      throw new IllegalArgumentException("illegal LoRA rank " + rank + ": must be at least 1");
    }
    if (!(alpha > 0) || Double.isInfinite(alpha)) {
      throw new IllegalArgumentException(
          "illegal LoRA alpha " + alpha + ": must be a positive finite value");
    }
  }

  /** Rank r with alpha = 2r (scaling 2), a common choice. */
  public static LoraConfig ofRank(int rank, long seed) {
    return new LoraConfig(rank, 2.0 * rank, seed);
  }

  /** alpha / rank. */
  public float scaling() {
    return (float) (alpha / rank);
  }
}
