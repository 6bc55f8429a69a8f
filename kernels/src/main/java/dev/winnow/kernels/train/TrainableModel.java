package dev.winnow.kernels.train;

import dev.winnow.kernels.cpu.MatrixProducts;
import dev.winnow.kernels.cpu.WorkerPool;
import dev.winnow.kernels.model.Architecture;
import dev.winnow.kernels.model.LayerWeights;
import dev.winnow.kernels.model.ModelConfig;
import dev.winnow.kernels.model.ModelWeights;
import dev.winnow.kernels.safetensors.DType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A float32 GPT-2 / Llama / Qwen2 model that trains: its own copy of the loader's weights, block
 * gates, per-block scale vectors and optional LoRA adapters, with a forward pass over a batch
 * {@code [B, T]} that matches {@code cpu.CpuForwardPass} and {@code cpu.NextTokenHead} and a
 * backward pass for every operation ({@link TrainingPass}).
 *
 * <pre>{@code
 * try (WorkerPool pool = new WorkerPool(2);
 *     MatrixProducts products = MatrixProducts.open(MatrixBackend.JAVA, pool)) {
 *   TrainableModel model = new TrainableModel(weights, LoraConfig.ofRank(8, seed), products, pool);
 *   model.setTrainable(EnumSet.of(ParameterGroup.GATES, ParameterGroup.LORA));
 *   AdamW adam = new AdamW(model.trainableParameters(), AdamW.Settings.defaults(1e-3));
 *   model.zeroGradients();
 *   double loss = model.lossAndGradients(ids, new NextTokenNll());
 *   GradientClipping.clipGlobalNorm(model.trainableParameters(), 1.0);
 *   adam.step();
 * }
 * }</pre>
 *
 * <p>Block {@code l} computes {@code x += g_l · s^a_l ⊙ Attn(Norm₁(x)); x += g_l · s^m_l ⊙
 * MLP(Norm₂(x))}, with the gate {@code g_l} (a scalar) and the scale vectors {@code s^a_l, s^m_l}
 * initialised to 1, so a fresh model is the loaded one; {@code g_l = 0} bypasses the block.
 *
 * <p>Layouts: embeddings {@code [vocab, d]} and an untied head {@code [vocab, d]} (Hugging Face's);
 * block matrices as the loader gives them (in × out, q|k|v and gate|up fused). {@link
 * #huggingFaceGradients} splits and transposes back to Hugging Face names and shapes.
 */
public final class TrainableModel {
  final ModelConfig config;
  final MatrixProducts products;
  final WorkerPool pool;
  final float[] inverseFrequencies;
  final Parameter tokenEmbedding;
  final Parameter positionEmbedding;
  final List<Block> blocks = new ArrayList<>();
  final Parameter finalNormWeight;
  final Parameter finalNormBias;

  /** {@code [vocab, d]}; the token embedding itself when the head is tied. */
  final Parameter head;

  private final LoraConfig lora;
  private final String prefix;
  private final Map<ParameterGroup, List<Parameter>> groups = new LinkedHashMap<>();
  private TrainingPass pass;

  /**
   * Copies {@code weights} (the caller's arrays are not changed by training).
   *
   * @param lora adapters on every projection, or {@code null} for none
   * @param products the matrix seam every product goes through
   * @param pool the workers; {@code products} must split over the same pool
   */
  public TrainableModel(
      ModelWeights weights, LoraConfig lora, MatrixProducts products, WorkerPool pool) {
    this(weights, lora, products, pool, true);
  }

  /**
   * As {@link #TrainableModel(ModelWeights, LoraConfig, MatrixProducts, WorkerPool)}, choosing the
   * RoPE inverse frequencies: {@code roundRopeToStoredDtype} rounds them to the checkpoint's dtype
   * as the inference engine does ({@link ModelWeights#ropeInverseFrequencies}: transformers loading
   * the checkpoint in its own dtype); {@code false} keeps them float32, as transformers computes
   * them for a model loaded with {@code dtype=float32} (how the fixtures' gradient goldens were
   * made: with rounding, tiny-llama's q_proj gradients differ from them by 3e-3 of their maximum).
   */
  public TrainableModel(
      ModelWeights weights,
      LoraConfig lora,
      MatrixProducts products,
      WorkerPool pool,
      boolean roundRopeToStoredDtype) {
    this.config = weights.config();
    this.products = products;
    this.pool = pool;
    this.lora = lora;
    this.inverseFrequencies =
        roundRopeToStoredDtype || config.rope() == null
            ? weights.ropeInverseFrequencies()
            : config.rope().inverseFrequencies(config.headDim());
    boolean gpt2 = config.architecture() == Architecture.GPT2;
    this.prefix = gpt2 ? "transformer." : "model.";
    int d = config.hiddenSize();
    int v = config.vocabSize();
    int qDim = config.queryDim();
    int kvDim = config.kvDim();
    int qkvDim = qDim + 2 * kvDim;
    int inter = config.intermediateSize();
    int upCols = gpt2 ? inter : 2 * inter;
    for (ParameterGroup g : ParameterGroup.values()) {
      groups.put(g, new ArrayList<>());
    }
    tokenEmbedding =
        weight(
            gpt2 ? "transformer.wte.weight" : "model.embed_tokens.weight",
            weights.tokenEmbedding(),
            true,
            v,
            d);
    positionEmbedding =
        weights.positionEmbedding() == null
            ? null
            : weight(
                "transformer.wpe.weight",
                weights.positionEmbedding(),
                true,
                config.contextLength(),
                d);
    SplittableRandom random = lora == null ? null : new SplittableRandom(lora.seed());
    for (int l = 0; l < config.layers(); l++) {
      LayerWeights lw = weights.layers().get(l);
      String p = gpt2 ? "transformer.h." + l + "." : "model.layers." + l + ".";
      Block b = new Block();
      String n1 = gpt2 ? "ln_1" : "input_layernorm";
      String n2 = gpt2 ? "ln_2" : "post_attention_layernorm";
      b.norm1Weight = norm(p + n1 + ".weight", lw.norm1Weight(), d);
      b.norm1Bias = lw.norm1Bias() == null ? null : norm(p + n1 + ".bias", lw.norm1Bias(), d);
      String qkvName = gpt2 ? p + "attn.c_attn" : p + "self_attn.qkv_proj(fused)";
      b.qkvWeight = weight(qkvName + ".weight", lw.qkvWeight(), true, d, qkvDim);
      b.qkvBias = bias(qkvName + ".bias", lw.qkvBias(), qkvDim);
      String outName = gpt2 ? p + "attn.c_proj" : p + "self_attn.o_proj";
      b.outWeight = weight(outName + ".weight", lw.outWeight(), true, qDim, d);
      b.outBias = bias(outName + ".bias", lw.outBias(), d);
      b.norm2Weight = norm(p + n2 + ".weight", lw.norm2Weight(), d);
      b.norm2Bias = lw.norm2Bias() == null ? null : norm(p + n2 + ".bias", lw.norm2Bias(), d);
      String upName = gpt2 ? p + "mlp.c_fc" : p + "mlp.gate_up_proj(fused)";
      b.upWeight = weight(upName + ".weight", lw.upWeight(), true, d, upCols);
      b.upBias = bias(upName + ".bias", lw.upBias(), upCols);
      String downName = gpt2 ? p + "mlp.c_proj" : p + "mlp.down_proj";
      b.downWeight = weight(downName + ".weight", lw.downWeight(), true, inter, d);
      b.downBias = bias(downName + ".bias", lw.downBias(), d);
      b.gate = new Parameter(p + "gate", new float[] {1f}, false, 1);
      groups.get(ParameterGroup.GATES).add(b.gate);
      b.attnScale = new Parameter(p + "attn_scale", ones(d), false, d);
      b.mlpScale = new Parameter(p + "mlp_scale", ones(d), false, d);
      groups.get(ParameterGroup.SCALES).add(b.attnScale);
      groups.get(ParameterGroup.SCALES).add(b.mlpScale);
      if (lora != null) {
        if (gpt2) {
          b.qkvLora.add(new LoraAdapter(p + "attn.c_attn", d, 0, qkvDim, lora, random));
          b.outLora.add(new LoraAdapter(p + "attn.c_proj", qDim, 0, d, lora, random));
          b.upLora.add(new LoraAdapter(p + "mlp.c_fc", d, 0, inter, lora, random));
          b.downLora.add(new LoraAdapter(p + "mlp.c_proj", inter, 0, d, lora, random));
        } else {
          b.qkvLora.add(new LoraAdapter(p + "self_attn.q_proj", d, 0, qDim, lora, random));
          b.qkvLora.add(new LoraAdapter(p + "self_attn.k_proj", d, qDim, kvDim, lora, random));
          b.qkvLora.add(
              new LoraAdapter(p + "self_attn.v_proj", d, qDim + kvDim, kvDim, lora, random));
          b.outLora.add(new LoraAdapter(p + "self_attn.o_proj", qDim, 0, d, lora, random));
          b.upLora.add(new LoraAdapter(p + "mlp.gate_proj", d, 0, inter, lora, random));
          b.upLora.add(new LoraAdapter(p + "mlp.up_proj", d, inter, inter, lora, random));
          b.downLora.add(new LoraAdapter(p + "mlp.down_proj", inter, 0, d, lora, random));
        }
        for (LoraAdapter a : b.allLora()) {
          groups.get(ParameterGroup.LORA).add(a.a);
          groups.get(ParameterGroup.LORA).add(a.b);
        }
      }
      blocks.add(b);
    }
    String fn = gpt2 ? "transformer.ln_f" : "model.norm";
    finalNormWeight = norm(fn + ".weight", weights.finalNormWeight(), d);
    finalNormBias =
        weights.finalNormBias() == null ? null : norm(fn + ".bias", weights.finalNormBias(), d);
    if (config.tiedHead()) {
      head = tokenEmbedding;
    } else {
      head = weight("lm_head.weight", transpose(weights.head(), d, v), false, v, d);
    }
  }

  private Parameter weight(String name, float[] value, boolean copy, int... shape) {
    Parameter p = new Parameter(name, copy ? value.clone() : value, shape.length > 1, shape);
    groups.get(ParameterGroup.WEIGHTS).add(p);
    return p;
  }

  private Parameter bias(String name, float[] value, int n) {
    if (value == null) {
      return null;
    }
    Parameter p = new Parameter(name, value.clone(), false, n);
    groups.get(ParameterGroup.WEIGHTS).add(p);
    return p;
  }

  private Parameter norm(String name, float[] value, int n) {
    Parameter p = new Parameter(name, value.clone(), false, n);
    groups.get(ParameterGroup.WEIGHTS).add(p);
    groups.get(ParameterGroup.NORMS).add(p);
    return p;
  }

  private static float[] ones(int n) {
    float[] a = new float[n];
    java.util.Arrays.fill(a, 1f);
    return a;
  }

  /** The hyperparameters. */
  public ModelConfig config() {
    return config;
  }

  /** The gate of block {@code layer} (a one-element parameter). */
  public Parameter gate(int layer) {
    return blocks.get(layer).gate;
  }

  /** The parameters of a group (empty for {@link ParameterGroup#LORA} without adapters). */
  public List<Parameter> parameters(ParameterGroup group) {
    return List.copyOf(groups.get(group));
  }

  /**
   * Makes exactly the parameters of {@code trainable} trainable (gradients allocated, zero) and
   * freezes the rest.
   *
   * @throws IllegalArgumentException for {@link ParameterGroup#LORA} on a model built without
   *     adapters
   */
  public void setTrainable(Set<ParameterGroup> trainable) {
    if (trainable.contains(ParameterGroup.LORA) && lora == null) {
      throw new IllegalArgumentException(
          "LoRA parameters requested, but the model has no adapters: build it with a LoraConfig");
    }
    for (List<Parameter> ps : groups.values()) {
      for (Parameter p : ps) {
        p.setTrainable(false);
      }
    }
    for (ParameterGroup g : trainable) {
      for (Parameter p : groups.get(g)) {
        p.setTrainable(true);
      }
    }
  }

  /** The trainable parameters, each once (a tied embedding is one parameter), in a fixed order. */
  public List<Parameter> trainableParameters() {
    List<Parameter> out = new ArrayList<>();
    java.util.Set<Parameter> seen =
        java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    for (List<Parameter> ps : groups.values()) {
      for (Parameter p : ps) {
        if (p.trainable() && seen.add(p)) {
          out.add(p);
        }
      }
    }
    return out;
  }

  /** Sets every trainable parameter's gradient to zero. */
  public void zeroGradients() {
    for (Parameter p : trainableParameters()) {
      java.util.Arrays.fill(p.grad(), 0f);
    }
  }

  /**
   * Forward and backward over {@code ids [B, T]} (every sequence the same length, at most the
   * context length): returns the loss and adds its gradient to every trainable parameter's {@link
   * Parameter#grad}.
   */
  public double lossAndGradients(int[][] ids, TrainingLoss loss) {
    TrainingPass p = pass(ids);
    float[] logits = p.forward(ids);
    double value = loss.lossAndGradient(ids, logits, config.vocabSize(), pool);
    p.backward(ids, logits);
    return value;
  }

  /** The loss of {@code ids} without gradients. */
  public double loss(int[][] ids, TrainingLoss loss) {
    float[] logits = pass(ids).forward(ids);
    return loss.lossAndGradient(ids, logits, config.vocabSize(), pool);
  }

  /** The logits {@code [B·T, vocab]} of {@code ids} (row {@code b·T + t}), a fresh array. */
  public float[] logits(int[][] ids) {
    return pass(ids).forward(ids).clone();
  }

  /**
   * {@code out[b][t] = ln p(ids[b][t+1] | ids[b][..t])}, as {@code ScoringEngine.score} reports it.
   */
  public float[][] nextTokenLogProbs(int[][] ids) {
    float[] logits = pass(ids).forward(ids);
    int b = ids.length;
    int t = ids[0].length;
    int v = config.vocabSize();
    float[][] out = new float[b][t - 1];
    pool.forEach(
        b * (t - 1),
        task -> {
          int s = task / (t - 1);
          int pos = task % (t - 1);
          int o = (s * t + pos) * v;
          out[s][pos] = (float) (logits[o + ids[s][pos + 1]] - Softmax.logSumExp(logits, o, v, 1));
        });
    return out;
  }

  /** Number of blocks. */
  public int layers() {
    return blocks.size();
  }

  /**
   * The parameters of one block in {@code group}, in a fixed order (the same for every block of
   * this model): norms (1 weight, 1 bias, 2 weight, 2 bias, those present), the gate, the two scale
   * vectors, LoRA A and B per adapter, or for {@link ParameterGroup#WEIGHTS} every weight and bias
   * of the block. Empty where the group has none in a block.
   */
  public List<Parameter> blockParameters(int layer, ParameterGroup group) {
    Block b = blocks.get(layer);
    List<Parameter> out = new ArrayList<>();
    switch (group) {
      case NORMS -> addPresent(out, b.norm1Weight, b.norm1Bias, b.norm2Weight, b.norm2Bias);
      case GATES -> out.add(b.gate);
      case SCALES -> addPresent(out, b.attnScale, b.mlpScale);
      case LORA -> {
        for (LoraAdapter a : b.allLora()) {
          out.add(a.a);
          out.add(a.b);
        }
      }
      case WEIGHTS ->
          addPresent(
              out,
              b.norm1Weight,
              b.norm1Bias,
              b.qkvWeight,
              b.qkvBias,
              b.outWeight,
              b.outBias,
              b.norm2Weight,
              b.norm2Bias,
              b.upWeight,
              b.upBias,
              b.downWeight,
              b.downBias);
    }
    return out;
  }

  private static void addPresent(List<Parameter> out, Parameter... ps) {
    for (Parameter p : ps) {
      if (p != null) {
        out.add(p);
      }
    }
  }

  /**
   * The residual stream around every block for {@code ids [B, T]}: element {@code l < L} is block
   * {@code l}'s input {@code [B·T, d]}, element {@code L} the last block's output (the final norm's
   * input). Fresh arrays; gates, scales and adapters apply as in the forward pass.
   */
  public float[][] residualStreams(int[][] ids) {
    TrainingPass p = pass(ids);
    p.forward(ids);
    return p.residualStreams();
  }

  /**
   * The current weights as the loader's {@link ModelWeights}, each LoRA adapter merged into the
   * matrix it adapts ({@code W[:, col0 + o] += scaling · Σ_r A[r, :] B[o, r]}), values rounded to
   * {@code storedAs} (the dtype the result is to be written in). Fresh arrays.
   *
   * @throws IllegalStateException if a gate or a scale vector differs from 1: a stock Hugging Face
   *     block has no place for them
   */
  public ModelWeights exportWeights(DType storedAs) {
    List<LayerWeights> layers = new ArrayList<>();
    for (int l = 0; l < blocks.size(); l++) {
      Block b = blocks.get(l);
      if (b.gate.value()[0] != 1f) {
        throw new IllegalStateException(
            "block " + l + " has gate " + b.gate.value()[0] + ": remove it or reset it to 1");
      }
      for (Parameter s : List.of(b.attnScale, b.mlpScale)) {
        for (float v : s.value()) {
          if (v != 1f) {
            throw new IllegalStateException(
                s.name()
                    + " differs from 1: scale vectors cannot be written in a Hugging Face layout");
          }
        }
      }
      layers.add(
          new LayerWeights(
              rounded(b.norm1Weight, storedAs),
              rounded(b.norm1Bias, storedAs),
              merged(b.qkvWeight, b.qkvLora, storedAs),
              rounded(b.qkvBias, storedAs),
              merged(b.outWeight, b.outLora, storedAs),
              rounded(b.outBias, storedAs),
              rounded(b.norm2Weight, storedAs),
              rounded(b.norm2Bias, storedAs),
              merged(b.upWeight, b.upLora, storedAs),
              rounded(b.upBias, storedAs),
              merged(b.downWeight, b.downLora, storedAs),
              rounded(b.downBias, storedAs)));
    }
    int d = config.hiddenSize();
    int v = config.vocabSize();
    float[] embedding = rounded(tokenEmbedding, storedAs);
    float[] headInOut =
        config.tiedHead() ? transpose(embedding, v, d) : transpose(rounded(head, storedAs), v, d);
    return new ModelWeights(
        config.withLayers(layers.size()),
        embedding,
        rounded(positionEmbedding, storedAs),
        layers,
        rounded(finalNormWeight, storedAs),
        rounded(finalNormBias, storedAs),
        headInOut,
        storedAs);
  }

  private static float[] rounded(Parameter p, DType dtype) {
    if (p == null) {
      return null;
    }
    float[] out = p.value().clone();
    for (int i = 0; i < out.length; i++) {
      out[i] = dtype.round(out[i]);
    }
    return out;
  }

  private static float[] merged(Parameter w, List<LoraAdapter> adapters, DType dtype) {
    float[] out = w.value().clone();
    int width = w.shape()[1];
    for (LoraAdapter a : adapters) {
      float[] av = a.a.value();
      float[] bv = a.b.value();
      for (int i = 0; i < a.in; i++) {
        for (int o = 0; o < a.out; o++) {
          double sum = 0;
          for (int r = 0; r < a.rank; r++) {
            sum += (double) av[r * a.in + i] * bv[o * a.rank + r];
          }
          out[i * width + a.col0 + o] += (float) (a.scaling * sum);
        }
      }
    }
    for (int i = 0; i < out.length; i++) {
      out[i] = dtype.round(out[i]);
    }
    return out;
  }

  /**
   * The gradients of the original model's weights under their Hugging Face names and shapes (fused
   * q|k|v and gate|up split; {@code nn.Linear} weights out × in, GPT-2's Conv1D in × out; a tied
   * embedding once), for the trainable ones. Gates, scales and LoRA gradients are under their own
   * names ({@code model.layers.L.gate}, {@code ...q_proj.lora_A.weight}).
   */
  public Map<String, float[]> huggingFaceGradients() {
    Map<String, float[]> out = new LinkedHashMap<>();
    boolean gpt2 = config.architecture() == Architecture.GPT2;
    int d = config.hiddenSize();
    int qDim = config.queryDim();
    int kvDim = config.kvDim();
    int qkvDim = qDim + 2 * kvDim;
    int inter = config.intermediateSize();
    for (List<Parameter> ps : groups.values()) {
      for (Parameter p : ps) {
        if (!p.trainable() || out.containsKey(p.name())) {
          continue;
        }
        String name = p.name();
        if (name.contains("qkv_proj(fused)") && p.decayed()) {
          String base = name.substring(0, name.indexOf("qkv_proj(fused)"));
          out.put(base + "q_proj.weight", columnsTransposed(p.grad(), d, qkvDim, 0, qDim));
          out.put(base + "k_proj.weight", columnsTransposed(p.grad(), d, qkvDim, qDim, kvDim));
          out.put(
              base + "v_proj.weight", columnsTransposed(p.grad(), d, qkvDim, qDim + kvDim, kvDim));
        } else if (name.contains("gate_up_proj(fused)") && p.decayed()) {
          String base = name.substring(0, name.indexOf("gate_up_proj(fused)"));
          out.put(base + "gate_proj.weight", columnsTransposed(p.grad(), d, 2 * inter, 0, inter));
          out.put(base + "up_proj.weight", columnsTransposed(p.grad(), d, 2 * inter, inter, inter));
        } else if (name.contains("(fused)")) {
          splitBias(out, name, p.grad(), qDim, kvDim, inter);
        } else if (!gpt2 && (name.endsWith("o_proj.weight") || name.endsWith("down_proj.weight"))) {
          int[] s = p.shape();
          out.put(name, transpose(p.grad(), s[0], s[1])); // in × out to nn.Linear's out × in
        } else {
          out.put(name, p.grad().clone());
        }
      }
    }
    return out;
  }

  private static void splitBias(
      Map<String, float[]> out, String name, float[] g, int qDim, int kvDim, int inter) {
    if (name.contains("qkv_proj(fused)")) {
      String base = name.substring(0, name.indexOf("qkv_proj(fused)"));
      out.put(base + "q_proj.bias", java.util.Arrays.copyOfRange(g, 0, qDim));
      out.put(base + "k_proj.bias", java.util.Arrays.copyOfRange(g, qDim, qDim + kvDim));
      out.put(
          base + "v_proj.bias", java.util.Arrays.copyOfRange(g, qDim + kvDim, qDim + 2 * kvDim));
    } else {
      String base = name.substring(0, name.indexOf("gate_up_proj(fused)"));
      out.put(base + "gate_proj.bias", java.util.Arrays.copyOfRange(g, 0, inter));
      out.put(base + "up_proj.bias", java.util.Arrays.copyOfRange(g, inter, 2 * inter));
    }
  }

  /** Columns {@code [c0, c0 + w)} of {@code m [rows, cols]}, transposed to {@code [w, rows]}. */
  private static float[] columnsTransposed(float[] m, int rows, int cols, int c0, int w) {
    float[] t = new float[w * rows];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < w; c++) {
        t[c * rows + r] = m[r * cols + c0 + c];
      }
    }
    return t;
  }

  static float[] transpose(float[] m, int rows, int cols) {
    return columnsTransposed(m, rows, cols, 0, cols);
  }

  private TrainingPass pass(int[][] ids) {
    if (ids.length == 0 || ids[0].length == 0) {
      throw new IllegalArgumentException("empty batch: give at least one sequence of one token");
    }
    int t = ids[0].length;
    for (int b = 0; b < ids.length; b++) {
      if (ids[b].length != t) {
        throw new IllegalArgumentException(
            "sequence "
                + b
                + " has "
                + ids[b].length
                + " tokens, sequence 0 has "
                + t
                + ": a training batch is [B, T], cut or pack sequences to one length");
      }
      for (int i = 0; i < t; i++) {
        if (ids[b][i] < 0 || ids[b][i] >= config.vocabSize()) {
          throw new IllegalArgumentException(
              "illegal token id "
                  + ids[b][i]
                  + " at sequence "
                  + b
                  + " index "
                  + i
                  + ": must be in [0, "
                  + config.vocabSize()
                  + ") (the model's vocab_size)");
        }
      }
    }
    if (t > config.contextLength()) {
      throw new IllegalArgumentException(
          "sequences of "
              + t
              + " tokens exceed the model's context length "
              + config.contextLength());
    }
    if (pass == null || pass.batch != ids.length || pass.length != t) {
      pass = null; // let the old buffers go before the new ones are allocated
      pass = new TrainingPass(this, ids.length, t);
    }
    return pass;
  }
}
