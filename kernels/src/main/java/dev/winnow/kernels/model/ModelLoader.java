package dev.winnow.kernels.model;

import dev.winnow.kernels.ModelFormatException;
import dev.winnow.kernels.safetensors.SafetensorsCheckpoint;
import dev.winnow.kernels.tokenizer.ByteLevelBpeTokenizer;
import dev.winnow.kernels.tokenizer.TiktokenTokenizer;
import dev.winnow.kernels.tokenizer.Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads a model directory in Hugging Face layout: {@code config.json}, {@code model.safetensors}
 * (or shards with {@code model.safetensors.index.json}) and {@code tokenizer.json}.
 *
 * <pre>{@code
 * LoadedModel model = ModelLoader.load(Path.of("models/proxy-mini"));
 * try (ScoringEngine engine = ScoringEngines.open(model, EngineOptions.defaults())) {
 *     DocumentScore s = new DocumentScorer(engine, model.requireTokenizer()).score(text);
 * }
 * }</pre>
 *
 * <p>Weights are memory-mapped and widened to float32 once, here; the mapping is released before
 * this returns. Every problem is a {@link ModelFormatException} naming the file (and tensor).
 */
public final class ModelLoader {
  public static final String CONFIG_FILE = "config.json";
  public static final String TOKENIZER_FILE = "tokenizer.json";

  private ModelLoader() {}

  /** Loads config, weights and tokenizer. */
  public static LoadedModel load(Path directory) {
    if (!Files.isDirectory(directory)) {
      throw new ModelFormatException(
          directory
              + ": not a directory; give a model directory in Hugging Face "
              + "layout (config.json, model.safetensors, tokenizer.json)");
    }
    ModelConfig config = ModelConfig.read(directory.resolve(CONFIG_FILE));
    ModelWeights weights;
    try (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(directory)) {
      weights = WeightLoader.load(config, checkpoint);
    }
    return new LoadedModel(directory, config, weights, loadTokenizer(directory, config));
  }

  /**
   * The directory's {@code tokenizer.json}; without one, {@code r50k_base} for a GPT-2 model with
   * GPT-2's 50,257-token vocabulary, else {@code null}.
   */
  public static Tokenizer loadTokenizer(Path directory, ModelConfig config) {
    Path file = directory.resolve(TOKENIZER_FILE);
    Tokenizer tokenizer;
    if (Files.isRegularFile(file)) {
      tokenizer = ByteLevelBpeTokenizer.fromFile(file);
    } else if (config.architecture() == Architecture.GPT2 && config.vocabSize() == 50257) {
      tokenizer = TiktokenTokenizer.r50kBase();
    } else {
      return null;
    }
    if (tokenizer.vocabSize() > config.vocabSize()) {
      throw new ModelFormatException(
          file
              + ": has "
              + tokenizer.vocabSize()
              + " token ids but config.json's "
              + "vocab_size is "
              + config.vocabSize()
              + "; the tokenizer belongs to another model");
    }
    return tokenizer;
  }
}
