package dev.winnow.selection.dsir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A fitted DSIR importance-weight model (Xie et al. 2023): a target and a raw distribution over
 * hashed n-gram features, and the log-importance weight of a document
 *
 * <pre>  ln w(x) = Σ_b count_b(x) · (ln p_target(b) − ln p_raw(b))</pre>
 *
 * <p>the log of the ratio of the two bag-of-n-grams likelihoods. Sampling documents with
 * probability proportional to {@code w(x)} (e.g. Gumbel top-k over {@code ln w}) resamples the raw
 * data towards the target. The weight is not length-normalized, as in the paper: a long document
 * that looks like the target gets a larger weight than a short one.
 *
 * <p>The raw distribution may be left out and fitted later from the stream or a sample ({@link
 * #withRaw}); {@link #logWeight} needs it. Saved as JSON ({@link #save}): the config, and per
 * distribution the counts, their total and the number of documents; the log-probabilities are
 * recomputed on load, so a file stays exact.
 *
 * <pre>{@code
 * DsirModel m = DsirModel.fit(new DsirConfig(), newsTexts, poolTexts);
 * double lw = m.logWeight(text);
 * m.save(Path.of("dsir.json"));
 * }</pre>
 *
 * <p>Thread-safety: {@link #logWeight} uses a featurizer per thread.
 */
public final class DsirModel {
  /** Format name written into saved files. */
  public static final String FORMAT = "winnow-dsir";

  /** Version of the saved format. */
  public static final int VERSION = 1;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final DsirConfig config;
  private final NgramDistribution target;
  private final NgramDistribution raw;

  /** ln p_target − ln p_raw per bucket; null without a raw distribution. */
  private final double[] logRatio;

  private final ThreadLocal<HashedNgramFeaturizer> featurizer;

  public DsirModel(DsirConfig config, NgramDistribution target, NgramDistribution raw) {
    config.validate("dsir");
    this.config = config.copy();
    check("target", target, config.buckets);
    if (raw != null) {
      check("raw", raw, config.buckets);
    }
    this.target = target;
    this.raw = raw;
    if (raw == null) {
      this.logRatio = null;
    } else {
      double[] t = target.logProbs(config.smoothing);
      double[] r = raw.logProbs(config.smoothing);
      this.logRatio = new double[t.length];
      for (int b = 0; b < t.length; b++) {
        logRatio[b] = t[b] - r[b];
      }
    }
    DsirConfig frozen = this.config;
    this.featurizer = ThreadLocal.withInitial(() -> new HashedNgramFeaturizer(frozen));
  }

  private static void check(String name, NgramDistribution d, int buckets) {
    if (d == null) {
      throw new IllegalArgumentException("the " + name + " distribution is required");
    }
    if (d.counts().length != buckets) {
      throw new IllegalArgumentException(
          "the "
              + name
              + " distribution has "
              + d.counts().length
              + " buckets but the config says "
              + buckets);
    }
  }

  /** Fits both distributions; {@code raw} may be null to fit it later with {@link #withRaw}. */
  public static DsirModel fit(
      DsirConfig config,
      Iterable<? extends CharSequence> target,
      Iterable<? extends CharSequence> raw) {
    return new DsirModel(
        config,
        NgramDistribution.fit(config, target),
        raw == null ? null : NgramDistribution.fit(config, raw));
  }

  /** The same target with another raw distribution. */
  public DsirModel withRaw(NgramDistribution newRaw) {
    return new DsirModel(config, target, newRaw);
  }

  /** The same target with a raw distribution fitted from these texts. */
  public DsirModel withRawFittedFrom(Iterable<? extends CharSequence> rawTexts) {
    return withRaw(NgramDistribution.fit(config, rawTexts));
  }

  public DsirConfig config() {
    return config.copy();
  }

  public NgramDistribution target() {
    return target;
  }

  /** The raw distribution, or null when not fitted yet. */
  public NgramDistribution raw() {
    return raw;
  }

  public boolean hasRaw() {
    return raw != null;
  }

  /** {@code Σ count_b · (ln p_target(b) − ln p_raw(b))}; 0 for a text without words. */
  public double logWeight(CharSequence text) {
    if (logRatio == null) {
      throw new IllegalStateException(
          "this DSIR model has no raw distribution: fit one from the raw data "
              + "(winnow dsir fit --raw, or DsirModel.withRawFittedFrom) before scoring");
    }
    double[] sum = new double[1];
    featurizer.get().forEachFeature(text, b -> sum[0] += logRatio[b]);
    return sum[0];
  }

  /** Writes the model as JSON. */
  public void save(Path file) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      save(out);
    }
  }

  public void save(OutputStream out) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("version", VERSION);
    ObjectNode c = root.putObject("config");
    c.put("buckets", config.buckets);
    c.put("maxNgram", config.maxNgram);
    c.put("smoothing", config.smoothing);
    c.put("hashSeed", config.hashSeed);
    putDistribution(root, "target", target);
    if (raw != null) {
      putDistribution(root, "raw", raw);
    }
    JSON.writeValue(out, root);
  }

  private static void putDistribution(ObjectNode root, String name, NgramDistribution d) {
    ObjectNode o = root.putObject(name);
    o.put("documents", d.documents());
    o.put("total", d.total());
    ArrayNode counts = o.putArray("counts");
    for (long v : d.counts()) {
      counts.add(v);
    }
  }

  /** Reads a model written by {@link #save}. */
  public static DsirModel load(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return load(in, file.toString());
    }
  }

  public static DsirModel load(InputStream in, String name) throws IOException {
    JsonNode root = JSON.readTree(in);
    if (root == null || !FORMAT.equals(root.path("format").asText())) {
      throw new IOException(name + " is not a DSIR model: expected \"format\": \"" + FORMAT + "\"");
    }
    if (root.path("version").asInt() != VERSION) {
      throw new IOException(
          name
              + ": unsupported DSIR model version "
              + root.path("version")
              + " (this build reads version "
              + VERSION
              + ")");
    }
    JsonNode c = root.path("config");
    DsirConfig config = new DsirConfig();
    config.buckets = c.path("buckets").asInt(-1);
    config.maxNgram = c.path("maxNgram").asInt(-1);
    config.smoothing = c.path("smoothing").asDouble(Double.NaN);
    config.hashSeed = c.path("hashSeed").asLong();
    try {
      config.validate(name + ": config");
      return new DsirModel(
          config,
          readDistribution(root.path("target"), name + ": target"),
          root.has("raw") ? readDistribution(root.path("raw"), name + ": raw") : null);
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  private static NgramDistribution readDistribution(JsonNode o, String where) throws IOException {
    JsonNode counts = o.path("counts");
    if (!counts.isArray()) {
      throw new IOException(where + " has no \"counts\" array");
    }
    long[] c = new long[counts.size()];
    for (int i = 0; i < c.length; i++) {
      c[i] = counts.get(i).asLong();
    }
    try {
      return new NgramDistribution(c, o.path("total").asLong(), o.path("documents").asLong());
    } catch (IllegalArgumentException e) {
      throw new IOException(where + ": " + e.getMessage(), e);
    }
  }
}
