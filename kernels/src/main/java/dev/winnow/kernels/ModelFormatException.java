package dev.winnow.kernels;

/**
 * A model directory, weight file, configuration or tokenizer that cannot be used as it is.
 *
 * <p>Messages name the file (and tensor, where there is one), say what was wrong and what to do,
 * e.g. {@code "model.safetensors: tensor 'transformer.wte.weight' has shape [50257, 64], expected
 * [50257, 128] (n_embd in config.json); the weights do not belong to this config.json"}.
 */
public class ModelFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ModelFormatException(String message) {
    super(message);
  }

  public ModelFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
