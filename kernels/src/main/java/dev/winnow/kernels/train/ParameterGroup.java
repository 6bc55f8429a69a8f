package dev.winnow.kernels.train;

/** The trainable parameter sets of {@link TrainableModel#setTrainable}; combine them freely. */
public enum ParameterGroup {
  /** One scalar per block multiplying both its residual contributions (1 reproduces the model). */
  GATES,
  /** Every norm's scale (and LayerNorm's shift), final norm included. */
  NORMS,
  /**
   * Per block two vectors of width {@code d}, multiplying the attention and the MLP contribution to
   * the residual stream element-wise (all ones reproduce the model).
   */
  SCALES,
  /** The LoRA adapters' A and B (the model must have been built with a {@link LoraConfig}). */
  LORA,
  /** Every weight of the original model: embeddings, projections, biases, norms, head. */
  WEIGHTS
}
