package dev.winnow.kernels.model;

import dev.winnow.kernels.tokenizer.Tokenizer;
import java.nio.file.Path;

/**
 * A model directory read into memory: its config, its float32 weights and its tokenizer.
 *
 * @param directory where it was loaded from
 * @param config hyperparameters from config.json
 * @param weights float32 weights (engine-neutral layout)
 * @param tokenizer the tokenizer of tokenizer.json (or r50k_base for a GPT-2 vocabulary without
 *     one), {@code null} if the directory has none (test fixtures)
 */
public record LoadedModel(
    Path directory, ModelConfig config, ModelWeights weights, Tokenizer tokenizer) {

  /** The tokenizer, or an exception saying the directory has none. */
  public Tokenizer requireTokenizer() {
    if (tokenizer == null) {
      throw new IllegalStateException(
          directory + ": has no tokenizer.json; token ids must be given directly");
    }
    return tokenizer;
  }
}
