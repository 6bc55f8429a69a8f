package dev.winnow.kernels.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Test access to ../shared (the {@code winnow.shared} system property) and its golden files. */
public final class SharedData {
  private SharedData() {}

  public static Path root() {
    String prop = System.getProperty("winnow.shared");
    if (prop == null) {
      throw new IllegalStateException(
          "system property winnow.shared is not set (the parent pom sets it)");
    }
    return Path.of(prop);
  }

  public static Path fixture(String name) {
    return root().resolve("fixtures").resolve(name);
  }

  public static Path model(String name) {
    return root().resolve("models").resolve(name);
  }

  /** One golden case: ids, expected next-token log-probs, expected argmax. */
  public record GoldenCase(int[] inputIds, float[] logProbs, int[] argmax) {}

  /** A parsed golden.json: its texts (may be empty) and cases. */
  public record Golden(List<String> texts, List<GoldenCase> cases) {}

  public static Golden golden(Path modelDir) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(modelDir.resolve("golden.json").toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> texts = new ArrayList<>();
    root.path("texts").forEach(t -> texts.add(t.asText()));
    List<GoldenCase> cases = new ArrayList<>();
    for (JsonNode c : root.get("cases")) {
      cases.add(
          new GoldenCase(
              ints(c.get("input_ids")),
              floats(c.get("next_token_logprobs")),
              ints(c.get("argmax"))));
    }
    return new Golden(texts, cases);
  }

  private static int[] ints(JsonNode a) {
    int[] out = new int[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).asInt();
    }
    return out;
  }

  private static float[] floats(JsonNode a) {
    float[] out = new float[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) a.get(i).asDouble();
    }
    return out;
  }
}
