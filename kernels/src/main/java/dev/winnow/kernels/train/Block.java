package dev.winnow.kernels.train;

import java.util.ArrayList;
import java.util.List;

/**
 * One transformer block's trainable parameters, in the loader's layout ({@link
 * dev.winnow.kernels.model.LayerWeights}: matrices in × out, q|k|v and gate|up fused), plus the
 * block gate, the two scale vectors and the LoRA adapters per projection.
 */
final class Block {
  Parameter norm1Weight;
  Parameter norm1Bias;
  Parameter qkvWeight;
  Parameter qkvBias;
  Parameter outWeight;
  Parameter outBias;
  Parameter norm2Weight;
  Parameter norm2Bias;
  Parameter upWeight;
  Parameter upBias;
  Parameter downWeight;
  Parameter downBias;

  /** [1]: multiplies both residual contributions. */
  Parameter gate;

  /** [d]: multiplies the attention contribution element-wise. */
  Parameter attnScale;

  /** [d]: multiplies the MLP contribution element-wise. */
  Parameter mlpScale;

  final List<LoraAdapter> qkvLora = new ArrayList<>();
  final List<LoraAdapter> outLora = new ArrayList<>();
  final List<LoraAdapter> upLora = new ArrayList<>();
  final List<LoraAdapter> downLora = new ArrayList<>();

  List<LoraAdapter> allLora() {
    List<LoraAdapter> all = new ArrayList<>(qkvLora);
    all.addAll(outLora);
    all.addAll(upLora);
    all.addAll(downLora);
    return all;
  }
}
