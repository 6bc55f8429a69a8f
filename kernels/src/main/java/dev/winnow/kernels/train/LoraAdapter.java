package dev.winnow.kernels.train;

import java.util.SplittableRandom;

/**
 * One LoRA adapter on a column range of a (possibly fused) projection {@code y = x · W}, {@code W
 * [in, width]}: {@code y[:, col0 : col0 + out] += scaling · (x · Aᵀ) · Bᵀ}, {@code A [rank, in]},
 * {@code B [out, rank]} (PEFT's layouts and names, {@code <module>.lora_A.weight}).
 */
final class LoraAdapter {
  final Parameter a;
  final Parameter b;
  final int col0;
  final int in;
  final int out;
  final int rank;
  final float scaling;

  LoraAdapter(
      String module, int in, int col0, int out, LoraConfig config, SplittableRandom random) {
    this.in = in;
    this.col0 = col0;
    this.out = out;
    this.rank = config.rank();
    this.scaling = config.scaling();
    float[] av = new float[rank * in];
    double bound = 1.0 / Math.sqrt(in);
    for (int i = 0; i < av.length; i++) {
      av[i] = (float) ((2 * random.nextDouble() - 1) * bound);
    }
    this.a = new Parameter(module + ".lora_A.weight", av, true, rank, in);
    this.b = new Parameter(module + ".lora_B.weight", new float[out * rank], true, out, rank);
  }
}
