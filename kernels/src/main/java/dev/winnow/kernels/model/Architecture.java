package dev.winnow.kernels.model;

import java.util.Arrays;

/** Decoder-only transformer families the engines run. */
public enum Architecture {
  /**
   * GPT-2: LayerNorm, learned absolute positions, GELU (tanh) MLP, Conv1D (in × out) weights, tied
   * head.
   */
  GPT2("gpt2", "GPT2LMHeadModel"),
  /**
   * Llama (1–3, SmolLM2): RMSNorm, RoPE, grouped-query attention, SwiGLU MLP, tied or untied head.
   */
  LLAMA("llama", "LlamaForCausalLM"),
  /** Qwen2 / Qwen2.5: Llama with biases on the q, k and v projections. */
  QWEN2("qwen2", "Qwen2ForCausalLM");

  private final String modelType;
  private final String hfClass;

  Architecture(String modelType, String hfClass) {
    this.modelType = modelType;
    this.hfClass = hfClass;
  }

  /** The {@code model_type} in config.json. */
  public String modelType() {
    return modelType;
  }

  /** The Hugging Face class named in config.json's {@code architectures}. */
  public String hfClass() {
    return hfClass;
  }

  /** The architecture for a {@code model_type} or class name, or {@code null}. */
  public static Architecture fromName(String name) {
    return Arrays.stream(values())
        .filter(a -> a.modelType.equals(name) || a.hfClass.equals(name))
        .findFirst()
        .orElse(null);
  }

  /** For messages: the accepted names. */
  public static String supported() {
    StringBuilder sb = new StringBuilder();
    for (Architecture a : values()) {
      sb.append(sb.length() == 0 ? "" : ", ")
          .append(a.hfClass)
          .append(" (")
          .append(a.modelType)
          .append(')');
    }
    return sb.toString();
  }
}
