package dev.winnow.kernels.fold;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.winnow.kernels.model.Architecture;
import dev.winnow.kernels.model.ModelLoader;
import dev.winnow.kernels.model.ModelWeights;
import dev.winnow.kernels.model.WeightWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Writes a folded model in Hugging Face layout: {@code config.json} (the source's, with the new
 * depth), {@code model.safetensors} (one tensor set per block, shared weights written for each
 * block that uses them, in the source's dtype), the tokenizer and generation files copied, and
 * {@code fold.json}.
 */
public final class FoldOutput {
  /** Files copied from the source directory as they are, where present. */
  static final List<String> COPIED =
      List.of(
          "tokenizer.json",
          "tokenizer_config.json",
          "special_tokens_map.json",
          "generation_config.json",
          "vocab.json",
          "merges.txt");

  private static final ObjectMapper JSON = new ObjectMapper();

  private FoldOutput() {}

  /** Writes the model files to {@code out} (created) from {@code source}'s directory. */
  public static void writeModel(Path out, Path source, ModelWeights folded) {
    try {
      Files.createDirectories(out);
      ObjectNode config = (ObjectNode) JSON.readTree(source.resolve("config.json").toFile());
      String depthKey =
          folded.config().architecture() == Architecture.GPT2 ? "n_layer" : "num_hidden_layers";
      config.put(depthKey, folded.config().layers());
      JSON.writerWithDefaultPrettyPrinter()
          .writeValue(out.resolve(ModelLoader.CONFIG_FILE).toFile(), config);
      WeightWriter.write(folded, folded.storedAs(), out.resolve("model.safetensors"));
      for (String name : COPIED) {
        Path f = source.resolve(name);
        if (Files.isRegularFile(f)) {
          Files.copy(f, out.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the folded model to " + out + ": " + e, e);
    }
  }

  /**
   * The machine-readable part of {@code fold.json} that the loader and later runs need: {@code
   * shared_groups} (block indices of the folded model), removed blocks, method, settings, losses.
   */
  public static ObjectNode manifest(FoldResult r) {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", "winnow-fold/1");
    root.put("method", r.settings().method().id());
    root.put("depth_before", r.analysis().blockInfluence().length);
    root.put("depth_after", r.weights().config().layers());
    ints(root.putArray("removed_blocks"), r.removal().removed());
    ints(root.putArray("kept_blocks"), r.removal().kept(r.analysis().blockInfluence().length));
    ArrayNode groups = root.putArray("shared_groups");
    for (List<Integer> g : r.sharing().groups()) {
      ints(groups.addArray(), g);
    }
    ints(root.putArray("group_leaders"), r.sharing().leaders());
    FoldSettings s = r.settings();
    ObjectNode set = root.putObject("settings");
    set.put("keep_blocks", s.keepBlocks())
        .put("groups", s.sharedGroups())
        .put("group_size", s.groupSize())
        .put("train_tokens", s.trainTokens())
        .put("gate_tokens", s.gateTokens())
        .put("analysis_tokens", s.analysisTokens())
        .put("sequence_length", s.sequenceLength())
        .put("batch_size", s.batchSize())
        .put("lora_rank", s.loraRank())
        .put("learning_rate", s.learningRate())
        .put("temperature", s.temperature())
        .put("seed", s.seed());
    ObjectNode an = root.putObject("analysis");
    an.put("tokens", r.analysis().tokens());
    an.put("base_nll", r.analysis().baseNll());
    doubles(an.putArray("block_influence"), r.analysis().blockInfluence());
    doubles(an.putArray("removal_cost_nll"), r.analysis().removalCost());
    ArrayNode sim = an.putArray("output_similarity");
    for (double[] row : r.analysis().outputSimilarity()) {
      doubles(sim.addArray(), row);
    }
    if (r.removal().gates() != null) {
      doubles(root.putArray("gates"), r.removal().gates());
    }
    if (r.removal().greedyNll() != null) {
      doubles(root.putArray("sleb_nll"), r.removal().greedyNll());
    }
    ArrayNode cands = root.putArray("sharing_candidates");
    for (BlockSharing.Candidate c : r.sharing().candidates()) {
      cands
          .addObject()
          .put("first", c.first())
          .put("leader", c.leader())
          .put("nll_increase", c.nllIncrease());
    }
    ObjectNode train = root.putObject("distillation");
    if (r.distillation() != null) {
      double[] l = r.distillation().losses();
      train.put("steps", l.length);
      train.put("first_loss", l[0]);
      train.put("last_loss", l[l.length - 1]);
      train.put("tokens_per_second", r.distillation().tokensPerSecond());
      double[] every = new double[(l.length + 9) / 10];
      for (int i = 0; i < every.length; i++) {
        every[i] = l[i * 10];
      }
      doubles(train.putArray("loss_every_10_steps"), every);
    } else {
      train.put("steps", 0);
    }
    root.put("calibration_tokens", r.calibrationTokens());
    root.put("seconds", r.seconds());
    return root;
  }

  /** Writes {@code fold.json}. */
  public static void writeManifest(Path out, JsonNode manifest) {
    try {
      Files.createDirectories(out);
      JSON.writerWithDefaultPrettyPrinter()
          .writeValue(out.resolve(ModelLoader.FOLD_FILE).toFile(), manifest);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + out.resolve(ModelLoader.FOLD_FILE), e);
    }
  }

  /** SHA-256 of the files, in order, as hex. */
  public static String sha256(List<Path> files) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (Path f : files) {
        try (InputStream in = Files.newInputStream(f)) {
          int n;
          while ((n = in.read(buf)) > 0) {
            md.update(buf, 0, n);
          }
        }
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + files + " for its hash", e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void ints(ArrayNode a, List<Integer> v) {
    v.forEach(a::add);
  }

  private static void doubles(ArrayNode a, double[] v) {
    for (double d : v) {
      a.add(d);
    }
  }
}
