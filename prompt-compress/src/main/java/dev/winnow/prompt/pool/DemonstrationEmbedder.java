package dev.winnow.prompt.pool;

import dev.winnow.prompt.model.ProxyLm;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns text into the unit vectors a pool searches: the proxy model's mean-pooled last hidden
 * states ({@link dev.winnow.kernels.scoring.ScoringEngine#embed}) of the text's first {@code
 * embedTokens} tokens, scaled to length 1 so that the dot product is the cosine similarity (KATE,
 * Liu et al. 2022, retrieves demonstrations by this cosine). Thread-safe: the engine is.
 */
public final class DemonstrationEmbedder {
  /** Text whose embedding identifies the model in {@link PoolSettings#probe()}. */
  public static final String PROBE_TEXT = "The quick brown fox jumps over the lazy dog. 1, 2, 3.";

  /** Default number of leading tokens embedded. */
  public static final int DEFAULT_EMBED_TOKENS = 128;

  /** Sequences per forward pass when embedding many texts. */
  public static final int BATCH = 16;

  private final ProxyLm lm;
  private final int embedTokens;

  public DemonstrationEmbedder(ProxyLm lm, int embedTokens) {
    if (embedTokens < 1 || embedTokens > lm.maxPositions()) {
      throw new IllegalArgumentException(
          "illegal embedTokens value "
              + embedTokens
              + ": must be in [1, "
              + lm.maxPositions()
              + "] (the model's context length)");
    }
    this.lm = lm;
    this.embedTokens = embedTokens;
  }

  public ProxyLm model() {
    return lm;
  }

  public int embedTokens() {
    return embedTokens;
  }

  public int dimension() {
    return lm.engine().config().hiddenSize();
  }

  /** The model's token ids of {@code text}, cut to the first {@code embedTokens}; never empty. */
  public int[] tokens(String text) {
    int[] ids = lm.encode(text);
    if (ids.length == 0) {
      throw new IllegalArgumentException("cannot embed an empty text");
    }
    return ids.length > embedTokens ? Arrays.copyOf(ids, embedTokens) : ids;
  }

  public float[] embed(String text) {
    return embedTokenized(List.of(tokens(text))).get(0);
  }

  /** Embeds many texts, {@link #BATCH} to a forward pass. */
  public List<float[]> embed(List<String> texts) {
    List<float[]> out = new ArrayList<>(texts.size());
    for (int from = 0; from < texts.size(); from += BATCH) {
      List<int[]> batch = new ArrayList<>();
      for (String t : texts.subList(from, Math.min(texts.size(), from + BATCH))) {
        batch.add(tokens(t));
      }
      out.addAll(embedTokenized(batch));
    }
    return out;
  }

  /** Embeds already tokenized (and cut) sequences in one engine call; the vectors have length 1. */
  public List<float[]> embedTokenized(List<int[]> sequences) {
    List<float[]> vectors = lm.engine().embed(sequences);
    for (float[] v : vectors) {
      normalize(v);
    }
    return vectors;
  }

  static void normalize(float[] v) {
    double norm = 0;
    for (float x : v) {
      norm += (double) x * x;
    }
    norm = Math.sqrt(norm);
    if (!(norm > 0) || !Double.isFinite(norm)) {
      throw new IllegalStateException(
          "the model produced a zero or non-finite embedding (norm " + norm + ")");
    }
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (v[i] / norm);
    }
  }

  static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }
}
