package dev.winnow.kernels.model;

import dev.winnow.kernels.ModelFormatException;
import dev.winnow.kernels.safetensors.TensorSource;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a checkpoint's tensors into {@link ModelWeights}: maps Hugging Face tensor names per
 * architecture, checks every shape against the config, widens to float32, transposes {@code
 * nn.Linear} weights (out × in) to in × out and fuses q|k|v and gate|up.
 */
public final class WeightLoader {
  private WeightLoader() {}

  /** Loads all weights of {@code config}'s architecture from {@code source}. */
  public static ModelWeights load(ModelConfig config, TensorSource source) {
    return config.architecture() == Architecture.GPT2
        ? loadGpt2(config, source)
        : loadLlama(config, source);
  }

  private static ModelWeights loadGpt2(ModelConfig c, TensorSource src) {
    // Checkpoints saved from GPT2LMHeadModel prefix "transformer."; the original gpt2 upload does
    // not.
    String p =
        src.has("transformer.wte.weight")
            ? "transformer."
            : src.has("wte.weight") ? "" : "transformer.";
    int d = c.hiddenSize();
    int v = c.vocabSize();
    int inner = c.intermediateSize();
    float[] wte = src.floats(p + "wte.weight", v, d);
    float[] wpe = src.floats(p + "wpe.weight", c.contextLength(), d);
    List<LayerWeights> layers = new ArrayList<>();
    for (int i = 0; i < c.layers(); i++) {
      String l = p + "h." + i + ".";
      layers.add(
          new LayerWeights(
              src.floats(l + "ln_1.weight", d), src.floats(l + "ln_1.bias", d),
              src.floats(l + "attn.c_attn.weight", d, 3L * d),
                  src.floats(l + "attn.c_attn.bias", 3L * d),
              src.floats(l + "attn.c_proj.weight", d, d), src.floats(l + "attn.c_proj.bias", d),
              src.floats(l + "ln_2.weight", d), src.floats(l + "ln_2.bias", d),
              src.floats(l + "mlp.c_fc.weight", d, inner), src.floats(l + "mlp.c_fc.bias", inner),
              src.floats(l + "mlp.c_proj.weight", inner, d), src.floats(l + "mlp.c_proj.bias", d)));
    }
    float[] head =
        c.tiedHead() || !src.has("lm_head.weight") ? wte : src.floats("lm_head.weight", v, d);
    return new ModelWeights(
        c,
        wte,
        wpe,
        layers,
        src.floats(p + "ln_f.weight", d),
        src.floats(p + "ln_f.bias", d),
        transpose(head, v, d),
        src.info(p + "wte.weight").dtype());
  }

  private static ModelWeights loadLlama(ModelConfig c, TensorSource src) {
    int d = c.hiddenSize();
    int v = c.vocabSize();
    int q = c.queryDim();
    int kv = c.kvDim();
    int inter = c.intermediateSize();
    float[] embed = src.floats("model.embed_tokens.weight", v, d);
    List<LayerWeights> layers = new ArrayList<>();
    for (int i = 0; i < c.layers(); i++) {
      String l = "model.layers." + i + ".";
      float[] qkv =
          concatColumns(
              d,
              transpose(src.floats(l + "self_attn.q_proj.weight", q, d), q, d),
              q,
              transpose(src.floats(l + "self_attn.k_proj.weight", kv, d), kv, d),
              kv,
              transpose(src.floats(l + "self_attn.v_proj.weight", kv, d), kv, d),
              kv);
      float[] qkvBias = null;
      if (c.qkvBias()) {
        qkvBias =
            concat(
                src.floats(l + "self_attn.q_proj.bias", q),
                src.floats(l + "self_attn.k_proj.bias", kv),
                src.floats(l + "self_attn.v_proj.bias", kv));
      }
      float[] outBias = c.outputBias() ? src.floats(l + "self_attn.o_proj.bias", d) : null;
      float[] up =
          concatColumns(
              d,
              transpose(src.floats(l + "mlp.gate_proj.weight", inter, d), inter, d),
              inter,
              transpose(src.floats(l + "mlp.up_proj.weight", inter, d), inter, d),
              inter);
      float[] upBias =
          c.mlpBias()
              ? concat(
                  src.floats(l + "mlp.gate_proj.bias", inter),
                  src.floats(l + "mlp.up_proj.bias", inter))
              : null;
      float[] downBias = c.mlpBias() ? src.floats(l + "mlp.down_proj.bias", d) : null;
      layers.add(
          new LayerWeights(
              src.floats(l + "input_layernorm.weight", d),
              null,
              qkv,
              qkvBias,
              transpose(src.floats(l + "self_attn.o_proj.weight", d, q), d, q),
              outBias,
              src.floats(l + "post_attention_layernorm.weight", d),
              null,
              up,
              upBias,
              transpose(src.floats(l + "mlp.down_proj.weight", d, inter), d, inter),
              downBias));
    }
    float[] head;
    if (c.tiedHead()) {
      head = embed;
    } else if (src.has("lm_head.weight")) {
      head = src.floats("lm_head.weight", v, d);
    } else {
      throw new ModelFormatException(
          "missing tensor 'lm_head.weight' in the checkpoint, and config.json has "
              + "tie_word_embeddings=false; set it to true if the head shares the embedding");
    }
    return new ModelWeights(
        c,
        embed,
        null,
        layers,
        src.floats("model.norm.weight", d),
        null,
        transpose(head, v, d),
        src.info("model.embed_tokens.weight").dtype());
  }

  /** Row-major {@code [rows, cols]} to {@code [cols, rows]}. */
  static float[] transpose(float[] m, int rows, int cols) {
    float[] t = new float[m.length];
    final int block = 64;
    for (int r0 = 0; r0 < rows; r0 += block) {
      int r1 = Math.min(rows, r0 + block);
      for (int c0 = 0; c0 < cols; c0 += block) {
        int c1 = Math.min(cols, c0 + block);
        for (int r = r0; r < r1; r++) {
          for (int col = c0; col < c1; col++) {
            t[col * rows + r] = m[r * cols + col];
          }
        }
      }
    }
    return t;
  }

  /**
   * Places matrices of {@code rows} rows side by side: arguments alternate matrix, column count.
   */
  private static float[] concatColumns(int rows, Object... matricesAndWidths) {
    int total = 0;
    for (int i = 1; i < matricesAndWidths.length; i += 2) {
      total += (Integer) matricesAndWidths[i];
    }
    float[] out = new float[rows * total];
    int offset = 0;
    for (int i = 0; i < matricesAndWidths.length; i += 2) {
      float[] m = (float[]) matricesAndWidths[i];
      int w = (Integer) matricesAndWidths[i + 1];
      for (int r = 0; r < rows; r++) {
        System.arraycopy(m, r * w, out, r * total + offset, w);
      }
      offset += w;
    }
    return out;
  }

  private static float[] concat(float[]... parts) {
    int n = 0;
    for (float[] p : parts) {
      n += p.length;
    }
    float[] out = new float[n];
    int o = 0;
    for (float[] p : parts) {
      System.arraycopy(p, 0, out, o, p.length);
      o += p.length;
    }
    return out;
  }
}
