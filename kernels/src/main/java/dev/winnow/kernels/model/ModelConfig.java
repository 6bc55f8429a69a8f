package dev.winnow.kernels.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.winnow.kernels.ModelFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The hyperparameters of a model, read from a Hugging Face {@code config.json}.
 *
 * @param architecture the transformer family
 * @param vocabSize rows of the embedding and of the output head
 * @param hiddenSize width of the residual stream ({@code n_embd} / {@code hidden_size})
 * @param layers number of transformer blocks
 * @param heads query heads
 * @param kvHeads key/value heads (fewer than {@code heads} for grouped-query attention)
 * @param headDim width of one head
 * @param intermediateSize MLP width
 * @param contextLength maximum positions ({@code n_positions} / {@code max_position_embeddings})
 * @param normEps LayerNorm / RMSNorm epsilon
 * @param tiedHead whether the output head is the transposed token embedding
 * @param qkvBias biases on the query, key and value projections
 * @param outputBias bias on the attention output projection
 * @param mlpBias biases on the MLP projections
 * @param rope rotary embedding settings, {@code null} for learned positions (GPT-2)
 * @param scaleAttnByInverseLayerIdx GPT-2 option: attention scores also divided by {@code layer +
 *     1}
 */
public record ModelConfig(
    Architecture architecture,
    int vocabSize,
    int hiddenSize,
    int layers,
    int heads,
    int kvHeads,
    int headDim,
    int intermediateSize,
    int contextLength,
    double normEps,
    boolean tiedHead,
    boolean qkvBias,
    boolean outputBias,
    boolean mlpBias,
    RopeConfig rope,
    boolean scaleAttnByInverseLayerIdx) {

  public ModelConfig {
    requirePositive("vocab_size", vocabSize);
    requirePositive("hidden_size", hiddenSize);
    requirePositive("num_hidden_layers", layers);
    requirePositive("num_attention_heads", heads);
    requirePositive("num_key_value_heads", kvHeads);
    requirePositive("head_dim", headDim);
    requirePositive("intermediate_size", intermediateSize);
    requirePositive("max_position_embeddings", contextLength);
    if (heads % kvHeads != 0) {
      throw new IllegalArgumentException(
          "illegal num_key_value_heads " + kvHeads + ": must divide num_attention_heads " + heads);
    }
    if (rope != null && headDim % 2 != 0) {
      throw new IllegalArgumentException(
          "illegal head_dim " + headDim + ": RoPE needs an even head dimension");
    }
  }

  private static void requirePositive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException("illegal " + name + " " + value + ": must be positive");
    }
  }

  /** The same hyperparameters with {@code layers} blocks (a model made shallower). */
  public ModelConfig withLayers(int layers) {
    return new ModelConfig(
        architecture,
        vocabSize,
        hiddenSize,
        layers,
        heads,
        kvHeads,
        headDim,
        intermediateSize,
        contextLength,
        normEps,
        tiedHead,
        qkvBias,
        outputBias,
        mlpBias,
        rope,
        scaleAttnByInverseLayerIdx);
  }

  /** Width of all query heads together. */
  public int queryDim() {
    return heads * headDim;
  }

  /** Width of all key (or value) heads together. */
  public int kvDim() {
    return kvHeads * headDim;
  }

  /**
   * Multiply–add FLOPs of the forward pass per token at a given attention context, counting 2 per
   * multiply–add: the projections and MLP, the attention ({@code QKᵀ} and {@code AV}), and the
   * output head.
   */
  public double flopsPerToken(double attendedPositions) {
    double d = hiddenSize;
    double proj = d * (queryDim() + 2.0 * kvDim()) + queryDim() * d;
    double mlp =
        architecture == Architecture.GPT2 ? 2 * d * intermediateSize : 3 * d * intermediateSize;
    double attention = 2.0 * attendedPositions * queryDim();
    return 2 * (layers * (proj + mlp + attention) + d * vocabSize);
  }

  /** Reads {@code config.json}; the file is named in every error. */
  public static ModelConfig read(Path configFile) {
    if (!Files.isRegularFile(configFile)) {
      throw new ModelFormatException(
          configFile
              + ": missing; a model directory needs config.json "
              + "(Hugging Face layout: config.json, model.safetensors, tokenizer.json)");
    }
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(configFile.toFile());
    } catch (IOException e) {
      throw new ModelFormatException(configFile + ": not valid JSON (" + e.getMessage() + ")", e);
    }
    try {
      return parse(root);
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException(configFile + ": " + e.getMessage(), e);
    }
  }

  /** Parses a config.json tree. */
  public static ModelConfig parse(JsonNode root) {
    Architecture arch = null;
    String named = null;
    JsonNode archs = root.path("architectures");
    if (archs.isArray() && archs.size() > 0) {
      named = archs.get(0).asText();
      arch = Architecture.fromName(named);
    }
    if (arch == null && root.hasNonNull("model_type")) {
      named =
          named == null
              ? root.get("model_type").asText()
              : named + " / " + root.get("model_type").asText();
      arch = Architecture.fromName(root.get("model_type").asText());
    }
    if (arch == null) {
      throw new IllegalArgumentException(
          "unknown architecture '" + named + "'; supported are " + Architecture.supported());
    }
    if (arch == Architecture.GPT2) {
      int d = requiredInt(root, "n_embd");
      int heads = requiredInt(root, "n_head");
      String act = root.path("activation_function").asText("gelu_new");
      if (!act.equals("gelu_new") && !act.equals("gelu_pytorch_tanh")) {
        throw new IllegalArgumentException(
            "unsupported activation_function '"
                + act
                + "' for GPT-2: supported is gelu_new (tanh approximation)");
      }
      int inner = root.hasNonNull("n_inner") ? root.get("n_inner").asInt() : 4 * d;
      return new ModelConfig(
          arch,
          requiredInt(root, "vocab_size"),
          d,
          requiredInt(root, "n_layer"),
          heads,
          heads,
          d / heads,
          inner,
          requiredInt(root, "n_positions"),
          root.path("layer_norm_epsilon").asDouble(1e-5),
          root.path("tie_word_embeddings").asBoolean(true),
          true,
          true,
          true,
          null,
          root.path("scale_attn_by_inverse_layer_idx").asBoolean(false));
    }
    String act = root.path("hidden_act").asText("silu");
    if (!act.equals("silu")) {
      throw new IllegalArgumentException(
          "unsupported hidden_act '" + act + "': supported is silu (SwiGLU)");
    }
    int d = requiredInt(root, "hidden_size");
    int heads = requiredInt(root, "num_attention_heads");
    int kvHeads =
        root.hasNonNull("num_key_value_heads") ? root.get("num_key_value_heads").asInt() : heads;
    int headDim = root.hasNonNull("head_dim") ? root.get("head_dim").asInt() : d / heads;
    boolean attentionBias = root.path("attention_bias").asBoolean(false);
    boolean qwen = arch == Architecture.QWEN2;
    return new ModelConfig(
        arch,
        requiredInt(root, "vocab_size"),
        d,
        requiredInt(root, "num_hidden_layers"),
        heads,
        kvHeads,
        headDim,
        requiredInt(root, "intermediate_size"),
        requiredInt(root, "max_position_embeddings"),
        root.path("rms_norm_eps").asDouble(1e-6),
        root.path("tie_word_embeddings").asBoolean(false),
        qwen || attentionBias,
        !qwen && attentionBias,
        !qwen && root.path("mlp_bias").asBoolean(false),
        readRope(root),
        false);
  }

  /**
   * RoPE settings from a top-level {@code rope_theta} and {@code rope_scaling} (released
   * checkpoints) or from {@code rope_parameters} (transformers 5), whichever is present.
   */
  static RopeConfig readRope(JsonNode root) {
    JsonNode params = root.path("rope_parameters");
    JsonNode scaling = root.path("rope_scaling");
    double theta = 10000.0;
    if (root.hasNonNull("rope_theta")) {
      theta = root.get("rope_theta").asDouble();
    } else if (params.hasNonNull("rope_theta")) {
      theta = params.get("rope_theta").asDouble();
    }
    JsonNode s = scaling.isObject() ? scaling : params.isObject() ? params : null;
    if (s == null) {
      return RopeConfig.unscaled(theta);
    }
    String type =
        s.hasNonNull("rope_type")
            ? s.get("rope_type").asText()
            : s.hasNonNull("type") ? s.get("type").asText() : "default";
    if (type.equals("default")) {
      return RopeConfig.unscaled(theta);
    }
    if (type.equals("linear")) {
      return new RopeConfig(theta, type, requiredDouble(s, "factor"), 0, 0, 0);
    }
    if (type.equals("llama3")) {
      return new RopeConfig(
          theta,
          type,
          requiredDouble(s, "factor"),
          requiredDouble(s, "low_freq_factor"),
          requiredDouble(s, "high_freq_factor"),
          (int) requiredDouble(s, "original_max_position_embeddings"));
    }
    throw new IllegalArgumentException(
        "unsupported rope scaling type '" + type + "': supported are default, linear and llama3");
  }

  private static int requiredInt(JsonNode root, String field) {
    JsonNode node = root.get(field);
    if (node == null || !node.canConvertToInt()) {
      throw new IllegalArgumentException("missing or non-integer field \"" + field + "\"");
    }
    return node.asInt();
  }

  private static double requiredDouble(JsonNode root, String field) {
    JsonNode node = root.get(field);
    if (node == null || !node.isNumber()) {
      throw new IllegalArgumentException(
          "rope scaling: missing or non-numeric field \"" + field + "\"");
    }
    return node.asDouble();
  }
}
