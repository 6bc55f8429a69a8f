package dev.winnow.kernels.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.winnow.kernels.ModelFormatException;
import dev.winnow.kernels.engine.EngineOptions;
import dev.winnow.kernels.engine.ScoringEngines;
import dev.winnow.kernels.safetensors.DType;
import dev.winnow.kernels.scoring.ScoringEngine;
import dev.winnow.kernels.scoring.TokenLogProbs;
import dev.winnow.kernels.testing.SafetensorsEditor;
import dev.winnow.kernels.testing.SharedData;
import dev.winnow.kernels.tokenizer.TiktokenTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading valid, sharded and malformed model directories. */
class ModelLoaderTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private Path copyOf(String fixture) throws IOException {
    Path src = SharedData.fixture(fixture);
    Path dst = tmp.resolve(fixture);
    Files.createDirectories(dst);
    for (String f : new String[] {"config.json", "model.safetensors"}) {
      Files.copy(src.resolve(f), dst.resolve(f));
    }
    dst.resolve("config.json").toFile().setWritable(true);
    dst.resolve("model.safetensors").toFile().setWritable(true);
    return dst;
  }

  private static void editConfig(Path dir, Consumer<ObjectNode> edit) throws IOException {
    ObjectNode config = (ObjectNode) JSON.readTree(dir.resolve("config.json").toFile());
    edit.accept(config);
    JSON.writeValue(dir.resolve("config.json").toFile(), config);
  }

  private static ModelFormatException loadFails(Path dir) {
    return assertThrows(ModelFormatException.class, () -> ModelLoader.load(dir));
  }

  @Test
  void readsConfigsOfAllThreeArchitectures() {
    ModelConfig gpt2 = ModelLoader.load(SharedData.fixture("tiny-gpt2")).config();
    assertEquals(Architecture.GPT2, gpt2.architecture());
    assertEquals(128, gpt2.intermediateSize());
    assertNull(gpt2.rope());
    LoadedModel llama = ModelLoader.load(SharedData.fixture("tiny-llama"));
    assertEquals(Architecture.LLAMA, llama.config().architecture());
    assertEquals(2, llama.config().kvHeads());
    assertEquals(10000.0, llama.config().rope().theta());
    assertTrue(llama.config().tiedHead());
    assertEquals(DType.BF16, llama.weights().storedAs());
    assertNull(llama.tokenizer(), "the fixture has no tokenizer.json");
    ModelConfig qwen = ModelLoader.load(SharedData.fixture("tiny-qwen2")).config();
    assertEquals(1e6, qwen.rope().theta());
    assertTrue(qwen.qkvBias() && !qwen.tiedHead());
    // a GPT-2 vocabulary without tokenizer.json falls back to r50k_base
    assertTrue(
        ModelLoader.load(SharedData.fixture("tiny-gpt2")).tokenizer() instanceof TiktokenTokenizer);
  }

  @Test
  void readsTopLevelRopeThetaAndLlama3Scaling() throws IOException {
    ObjectNode config =
        (ObjectNode)
            JSON.readTree(SharedData.fixture("tiny-llama").resolve("config.json").toFile());
    config.remove("rope_parameters");
    config.put("rope_theta", 500000.0);
    config
        .putObject("rope_scaling")
        .put("rope_type", "llama3")
        .put("factor", 8.0)
        .put("low_freq_factor", 1.0)
        .put("high_freq_factor", 4.0)
        .put("original_max_position_embeddings", 8192);
    RopeConfig rope = ModelConfig.parse(config).rope();
    assertEquals(500000.0, rope.theta());
    assertEquals("llama3", rope.type());
    // Llama 3.1 with head_dim 128: high frequencies kept, low ones divided by 8, the middle
    // interpolated
    float[] plain = RopeConfig.unscaled(500000.0).inverseFrequencies(128);
    float[] scaled = rope.inverseFrequencies(128);
    assertEquals(plain[0], scaled[0]);
    assertEquals(plain[63] / 8, scaled[63], 1e-12);
    int interpolated = 0;
    for (int i = 0; i < 64; i++) {
      double wavelength = 2 * Math.PI / plain[i];
      if (wavelength > 8192 / 4.0 && wavelength < 8192) {
        interpolated++;
        assertTrue(scaled[i] < plain[i] && scaled[i] > plain[i] / 8, "frequency " + i);
      }
    }
    assertTrue(interpolated > 0);
    config.putObject("rope_scaling").put("type", "yarn").put("factor", 4.0);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ModelConfig.parse(config));
    assertTrue(e.getMessage().contains("yarn"), e.getMessage());
  }

  @Test
  void shardedCheckpointLoadsAndScoresLikeTheSingleFile() throws IOException {
    Path single = SharedData.fixture("tiny-llama");
    Path dir = tmp.resolve("sharded");
    Files.createDirectories(dir);
    Files.copy(single.resolve("config.json"), dir.resolve("config.json"));
    List<String> first =
        SafetensorsEditor.subset(
            single.resolve("model.safetensors"),
            dir.resolve("model-00001-of-00002.safetensors"),
            name -> !name.contains("layers.1."));
    List<String> second =
        SafetensorsEditor.subset(
            single.resolve("model.safetensors"),
            dir.resolve("model-00002-of-00002.safetensors"),
            name -> name.contains("layers.1."));
    ObjectNode index = JSON.createObjectNode();
    ObjectNode map = index.putObject("weight_map");
    first.forEach(n -> map.put(n, "model-00001-of-00002.safetensors"));
    second.forEach(n -> map.put(n, "model-00002-of-00002.safetensors"));
    JSON.writeValue(dir.resolve("model.safetensors.index.json").toFile(), index);

    int[] ids = SharedData.golden(single).cases().get(2).inputIds();
    try (ScoringEngine a =
            ScoringEngines.open(
                ModelLoader.load(single),
                EngineOptions.defaults()
                    .withPrecision(EngineOptions.Precision.FP32)
                    .withThreads(1));
        ScoringEngine b =
            ScoringEngines.open(
                ModelLoader.load(dir),
                EngineOptions.defaults()
                    .withPrecision(EngineOptions.Precision.FP32)
                    .withThreads(1))) {
      TokenLogProbs expected = a.score(List.of(ids)).get(0);
      assertArrayEquals(expected.logProbs(), b.score(List.of(ids)).get(0).logProbs(), 0f);
    }

    Files.delete(dir.resolve("model-00002-of-00002.safetensors"));
    ModelFormatException e = loadFails(dir);
    assertTrue(
        e.getMessage().contains("model-00002-of-00002.safetensors")
            && e.getMessage().contains("does not exist"),
        e.getMessage());
  }

  @Test
  void missingConfigOrWeightsAreNamed() throws IOException {
    Path dir = copyOf("tiny-gpt2");
    Files.delete(dir.resolve("config.json"));
    assertTrue(loadFails(dir).getMessage().contains("config.json"));
    Path other = copyOf("tiny-llama");
    Files.delete(other.resolve("model.safetensors"));
    assertTrue(loadFails(other).getMessage().contains("model.safetensors"));
    assertTrue(loadFails(tmp.resolve("nowhere")).getMessage().contains("not a directory"));
  }

  @Test
  void unknownArchitectureIsNamed() throws IOException {
    Path dir = copyOf("tiny-gpt2");
    editConfig(
        dir,
        c -> {
          c.putArray("architectures").add("MambaForCausalLM");
          c.put("model_type", "mamba");
        });
    ModelFormatException e = loadFails(dir);
    assertTrue(
        e.getMessage().contains("config.json")
            && e.getMessage().contains("MambaForCausalLM")
            && e.getMessage().contains("LlamaForCausalLM"),
        e.getMessage());
  }

  @Test
  void missingTensorIsNamedWithItsFile() throws IOException {
    Path dir = copyOf("tiny-qwen2");
    SafetensorsEditor.subset(
        SharedData.fixture("tiny-qwen2").resolve("model.safetensors"),
        dir.resolve("model.safetensors"),
        name -> !name.equals("model.layers.1.self_attn.k_proj.bias"));
    ModelFormatException e = loadFails(dir);
    assertTrue(
        e.getMessage().contains("model.safetensors")
            && e.getMessage().contains("missing tensor")
            && e.getMessage().contains("model.layers.1.self_attn.k_proj.bias"),
        e.getMessage());
  }

  @Test
  void wrongShapeIsNamedWithExpectedShape() throws IOException {
    Path dir = copyOf("tiny-gpt2");
    editConfig(dir, c -> c.put("n_inner", 256));
    ModelFormatException e = loadFails(dir);
    assertTrue(
        e.getMessage().contains("transformer.h.0.mlp.c_fc.weight")
            && e.getMessage().contains("[32, 128]")
            && e.getMessage().contains("[32, 256]"),
        e.getMessage());
  }

  @Test
  void unsupportedDtypeIsNamed() throws IOException {
    Path dir = copyOf("tiny-gpt2");
    SafetensorsEditor.editHeader(
        SharedData.fixture("tiny-gpt2").resolve("model.safetensors"),
        dir.resolve("model.safetensors"),
        h ->
            ((ObjectNode) h.get("transformer.ln_f.bias"))
                .put("dtype", "F64")
                .putArray("shape")
                .add(16));
    ModelFormatException e = loadFails(dir);
    assertTrue(
        e.getMessage().contains("transformer.ln_f.bias") && e.getMessage().contains("F64"),
        e.getMessage());
  }

  @Test
  void truncatedFileIsNamed() throws IOException {
    Path dir = copyOf("tiny-gpt2");
    byte[] bytes = Files.readAllBytes(dir.resolve("model.safetensors"));
    Files.write(dir.resolve("model.safetensors"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
    ModelFormatException e = loadFails(dir);
    assertTrue(
        e.getMessage().contains("model.safetensors")
            && e.getMessage().contains("truncated")
            && e.getMessage().contains("tensor '"),
        e.getMessage());
    Files.write(dir.resolve("model.safetensors"), java.util.Arrays.copyOf(bytes, 5));
    assertTrue(loadFails(dir).getMessage().contains("truncated"));
  }

  @Test
  void roundsToHalfPrecisionLikeATensorCast() {
    assertEquals(1.0f, DType.F16.round(1.0f));
    assertEquals(1.0009765625f, DType.F16.round(1.0005f)); // nearest of 1 and 1 + 2^-10
    assertEquals(5.960464477539063e-8f, DType.F16.round(5e-8f)); // smallest subnormal
    assertEquals(1.0078125f, DType.BF16.round(1.005f)); // 1 + 2^-7
    assertEquals(0.1f, DType.F32.round(0.1f));
  }
}
