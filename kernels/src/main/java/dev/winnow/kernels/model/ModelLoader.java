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

  /** Written by {@code winnow fold}: which blocks of the folded model share their weights. */
  public static final String FOLD_FILE = "fold.json";

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
    Path fold = directory.resolve(FOLD_FILE);
    if (Files.isRegularFile(fold)) {
      weights = shareGroups(weights, fold);
    }
    return new LoadedModel(directory, config, weights, loadTokenizer(directory, config));
  }

  /**
   * Keeps one copy of the weights of each group that {@code fold.json}'s {@code shared_groups}
   * names (lists of block indices): the checkpoint holds them once per block, equal; a block whose
   * arrays differ from its group's first is an error (the file was edited by hand).
   */
  static ModelWeights shareGroups(ModelWeights weights, Path foldFile) {
    com.fasterxml.jackson.databind.JsonNode root;
    try {
      root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(foldFile.toFile());
    } catch (java.io.IOException e) {
      throw new ModelFormatException(foldFile + ": not valid JSON (" + e.getMessage() + ")", e);
    }
    java.util.List<LayerWeights> layers = new java.util.ArrayList<>(weights.layers());
    for (com.fasterxml.jackson.databind.JsonNode group : root.path("shared_groups")) {
      int first = group.get(0).asInt();
      for (com.fasterxml.jackson.databind.JsonNode member : group) {
        int m = member.asInt();
        if (m < 0 || m >= layers.size() || first < 0 || first >= layers.size()) {
          throw new ModelFormatException(
              foldFile
                  + ": shared group "
                  + group
                  + " names a block outside 0.."
                  + (layers.size() - 1));
        }
        LayerWeights lead = layers.get(first);
        LayerWeights own = layers.get(m);
        if (!java.util.Arrays.equals(lead.qkvWeight(), own.qkvWeight())
            || !java.util.Arrays.equals(lead.qkvBias(), own.qkvBias())
            || !java.util.Arrays.equals(lead.outWeight(), own.outWeight())
            || !java.util.Arrays.equals(lead.outBias(), own.outBias())
            || !java.util.Arrays.equals(lead.upWeight(), own.upWeight())
            || !java.util.Arrays.equals(lead.upBias(), own.upBias())
            || !java.util.Arrays.equals(lead.downWeight(), own.downWeight())
            || !java.util.Arrays.equals(lead.downBias(), own.downBias())) {
          throw new ModelFormatException(
              foldFile
                  + ": blocks "
                  + first
                  + " and "
                  + m
                  + " are listed as sharing weights, but the checkpoint's differ; "
                  + "remove fold.json to load them as separate blocks");
        }
        layers.set(
            m,
            new LayerWeights(
                own.norm1Weight(),
                own.norm1Bias(),
                lead.qkvWeight(),
                lead.qkvBias(),
                lead.outWeight(),
                lead.outBias(),
                own.norm2Weight(),
                own.norm2Bias(),
                lead.upWeight(),
                lead.upBias(),
                lead.downWeight(),
                lead.downBias()));
      }
    }
    return new ModelWeights(
        weights.config(),
        weights.tokenEmbedding(),
        weights.positionEmbedding(),
        layers,
        weights.finalNormWeight(),
        weights.finalNormBias(),
        weights.head(),
        weights.storedAs());
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
