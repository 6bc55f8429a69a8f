package dev.winnow.kernels.model;

import dev.winnow.kernels.safetensors.DType;
import dev.winnow.kernels.safetensors.SafetensorsWriter;
import java.nio.file.Path;

/**
 * The inverse of {@link WeightLoader}: {@link ModelWeights} back to a Hugging Face checkpoint
 * ({@code model.safetensors}) under the architecture's names and layouts, so that transformers and
 * {@link ModelLoader} load it as it is. Blocks that share arrays are written once per block (the
 * layout has no sharing); {@code fold.json} says which blocks share.
 */
public final class WeightWriter {
  private WeightWriter() {}

  /** Writes {@code weights} as {@code dtype} to {@code file}. */
  public static void write(ModelWeights weights, DType dtype, Path file) {
    ModelConfig c = weights.config();
    SafetensorsWriter w = new SafetensorsWriter(dtype);
    int d = c.hiddenSize();
    int v = c.vocabSize();
    int inter = c.intermediateSize();
    if (c.architecture() == Architecture.GPT2) {
      String p = "transformer.";
      w.add(p + "wte.weight", weights.tokenEmbedding(), v, d);
      w.add(p + "wpe.weight", weights.positionEmbedding(), c.contextLength(), d);
      for (int i = 0; i < weights.layers().size(); i++) {
        LayerWeights l = weights.layers().get(i);
        String n = p + "h." + i + ".";
        w.add(n + "ln_1.weight", l.norm1Weight(), d).add(n + "ln_1.bias", l.norm1Bias(), d);
        w.add(n + "attn.c_attn.weight", l.qkvWeight(), d, 3L * d)
            .add(n + "attn.c_attn.bias", l.qkvBias(), 3L * d);
        w.add(n + "attn.c_proj.weight", l.outWeight(), d, d)
            .add(n + "attn.c_proj.bias", l.outBias(), d);
        w.add(n + "ln_2.weight", l.norm2Weight(), d).add(n + "ln_2.bias", l.norm2Bias(), d);
        w.add(n + "mlp.c_fc.weight", l.upWeight(), d, inter)
            .add(n + "mlp.c_fc.bias", l.upBias(), inter);
        w.add(n + "mlp.c_proj.weight", l.downWeight(), inter, d)
            .add(n + "mlp.c_proj.bias", l.downBias(), d);
      }
      w.add(p + "ln_f.weight", weights.finalNormWeight(), d)
          .add(p + "ln_f.bias", weights.finalNormBias(), d);
      if (!c.tiedHead()) {
        w.add("lm_head.weight", WeightLoader.transpose(weights.head(), d, v), v, d);
      }
      w.write(file);
      return;
    }
    int q = c.queryDim();
    int kv = c.kvDim();
    w.add("model.embed_tokens.weight", weights.tokenEmbedding(), v, d);
    for (int i = 0; i < weights.layers().size(); i++) {
      LayerWeights l = weights.layers().get(i);
      String n = "model.layers." + i + ".";
      int qkv = q + 2 * kv;
      w.add(n + "input_layernorm.weight", l.norm1Weight(), d);
      w.add(n + "self_attn.q_proj.weight", columnsAsRows(l.qkvWeight(), d, qkv, 0, q), q, d);
      w.add(n + "self_attn.k_proj.weight", columnsAsRows(l.qkvWeight(), d, qkv, q, kv), kv, d);
      w.add(n + "self_attn.v_proj.weight", columnsAsRows(l.qkvWeight(), d, qkv, q + kv, kv), kv, d);
      if (l.qkvBias() != null) {
        w.add(n + "self_attn.q_proj.bias", java.util.Arrays.copyOfRange(l.qkvBias(), 0, q), q);
        w.add(
            n + "self_attn.k_proj.bias", java.util.Arrays.copyOfRange(l.qkvBias(), q, q + kv), kv);
        w.add(
            n + "self_attn.v_proj.bias",
            java.util.Arrays.copyOfRange(l.qkvBias(), q + kv, q + 2 * kv),
            kv);
      }
      w.add(n + "self_attn.o_proj.weight", WeightLoader.transpose(l.outWeight(), q, d), d, q);
      if (l.outBias() != null) {
        w.add(n + "self_attn.o_proj.bias", l.outBias(), d);
      }
      w.add(n + "post_attention_layernorm.weight", l.norm2Weight(), d);
      w.add(
          n + "mlp.gate_proj.weight",
          columnsAsRows(l.upWeight(), d, 2 * inter, 0, inter),
          inter,
          d);
      w.add(
          n + "mlp.up_proj.weight",
          columnsAsRows(l.upWeight(), d, 2 * inter, inter, inter),
          inter,
          d);
      if (l.upBias() != null) {
        w.add(n + "mlp.gate_proj.bias", java.util.Arrays.copyOfRange(l.upBias(), 0, inter), inter);
        w.add(
            n + "mlp.up_proj.bias",
            java.util.Arrays.copyOfRange(l.upBias(), inter, 2 * inter),
            inter);
      }
      w.add(n + "mlp.down_proj.weight", WeightLoader.transpose(l.downWeight(), inter, d), d, inter);
      if (l.downBias() != null) {
        w.add(n + "mlp.down_proj.bias", l.downBias(), d);
      }
    }
    w.add("model.norm.weight", weights.finalNormWeight(), d);
    if (!c.tiedHead()) {
      w.add("lm_head.weight", WeightLoader.transpose(weights.head(), d, v), v, d);
    }
    w.write(file);
  }

  /**
   * Columns {@code [c0, c0 + width)} of {@code m [rows, cols]} as a {@code [width, rows]} matrix.
   */
  private static float[] columnsAsRows(float[] m, int rows, int cols, int c0, int width) {
    float[] t = new float[width * rows];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < width; c++) {
        t[c * rows + r] = m[r * cols + c0 + c];
      }
    }
    return t;
  }
}
