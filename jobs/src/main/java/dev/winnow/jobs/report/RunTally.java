package dev.winnow.jobs.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.winnow.ingest.serde.DocumentJson;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything {@code winnow report} shows, gathered in one pass over a run's outputs: counts, the
 * funnel per rule, keep rates per source, length distributions, examples per rule, near-duplicate
 * clusters, and the scoring stages' annotations where they ran ({@code meta.winnow.score}, {@code
 * ccnet}, {@code dsir}, {@code language}, {@code pii}).
 */
public final class RunTally {
  /** Examples kept per rule. */
  static final int EXAMPLES = 3;

  /** Characters of a document's text an example shows. */
  static final int EXAMPLE_CHARS = 300;

  /** The order of the stages in the curation job, for the funnel. */
  static final List<String> STAGE_ORDER =
      List.of(
          "decode",
          "quality",
          "language",
          "pii",
          "decontaminate",
          "url",
          "words",
          "exact_dedup",
          "near_dedup",
          "select");

  long curated;
  long rejected;
  long deadLettered;

  /** stage → rule → count, stages in {@link #STAGE_ORDER}. */
  final Map<String, Map<String, Long>> rejectedPerStageRule = new TreeMap<>(RunTally::byStage);

  /** rule → up to {@link #EXAMPLES} examples. */
  final Map<String, List<Example>> examples = new TreeMap<>();

  final Map<String, long[]> perSource = new TreeMap<>(); // source -> {kept, rejected}
  final List<Integer> keptLengths = new ArrayList<>();
  final List<Integer> rejectedLengths = new ArrayList<>();

  /** near-duplicate cluster id → members rejected as its duplicates. */
  final Map<String, Integer> clusters = new HashMap<>();

  final Map<String, List<Double>> perplexityPerSource = new TreeMap<>();
  final Map<String, Long> ccnetBuckets = new TreeMap<>();
  final List<Double> dsirLogWeights = new ArrayList<>();
  final Map<String, Long> languages = new TreeMap<>();
  final Map<String, Long> pii = new TreeMap<>();
  final Map<String, Long> deadLetterReasons = new TreeMap<>();

  /** One rejected document shown under its rule. */
  record Example(
      String id, String value, String threshold, String duplicateOf, String text, String source) {}

  /** A document of the curated output (its JSON). */
  public void kept(JsonNode doc) {
    curated++;
    source(doc)[0]++;
    keptLengths.add(doc.path("text").asText("").length());
    JsonNode w = doc.path("meta").path("winnow");
    JsonNode ppl = w.path("score").path("ppl");
    if (ppl.isNumber()) {
      perplexityPerSource
          .computeIfAbsent(sourceName(doc), k -> new ArrayList<>())
          .add(ppl.asDouble());
    }
    JsonNode bucket = w.path("ccnet").path("bucket");
    if (bucket.isTextual()) {
      ccnetBuckets.merge(bucket.asText(), 1L, Long::sum);
    }
    JsonNode lw = w.path("dsir").path("log_weight");
    if (lw.isNumber()) {
      dsirLogWeights.add(lw.asDouble());
    }
    annotationsOfAll(doc);
  }

  /** A document of the rejected output (its JSON with {@code rejection}). */
  public void rejected(JsonNode doc) {
    rejected++;
    source(doc)[1]++;
    String text = doc.path("text").asText("");
    rejectedLengths.add(text.length());
    JsonNode r = doc.path("rejection");
    String stage = r.path("stage").asText("unknown");
    String rule = r.path("rule").asText("unknown");
    rejectedPerStageRule.computeIfAbsent(stage, k -> new TreeMap<>()).merge(rule, 1L, Long::sum);
    List<Example> ex = examples.computeIfAbsent(rule, k -> new ArrayList<>());
    if (ex.size() < EXAMPLES) {
      ex.add(
          new Example(
              doc.path("id").asText(),
              r.path("value").isNull() ? "" : r.path("value").asText(),
              r.path("threshold").asText(""),
              r.path("duplicate_of").isMissingNode() ? null : r.path("duplicate_of").asText(),
              text.length() > EXAMPLE_CHARS ? text.substring(0, EXAMPLE_CHARS) + "…" : text,
              sourceName(doc)));
    }
    if (r.path("cluster").isTextual()) {
      clusters.merge(r.path("cluster").asText(), 1, Integer::sum);
    }
    annotationsOfAll(doc);
  }

  /** A record of the dead-letter output, by its reason. */
  public void deadLettered(String reason) {
    deadLettered++;
    String kind = reason == null ? "(no reason)" : reason.replaceAll("[:(].*", "").trim();
    deadLetterReasons.merge(kind.isEmpty() ? reason : kind, 1L, Long::sum);
  }

  private void annotationsOfAll(JsonNode doc) {
    JsonNode w = doc.path("meta").path("winnow");
    JsonNode lang = w.path("language").path("lang");
    if (lang.isTextual()) {
      languages.merge(lang.asText(), 1L, Long::sum);
    }
    w.path("pii")
        .fields()
        .forEachRemaining(
            e -> {
              if (e.getValue().isNumber()) {
                pii.merge(e.getKey(), e.getValue().asLong(), Long::sum);
              }
            });
  }

  private long[] source(JsonNode doc) {
    return perSource.computeIfAbsent(sourceName(doc), k -> new long[2]);
  }

  private static String sourceName(JsonNode doc) {
    String s = doc.path("source").asText("");
    return s.isEmpty() ? "(none)" : s;
  }

  public long curated() {
    return curated;
  }

  public long rejected() {
    return rejected;
  }

  public long deadLettered() {
    return deadLettered;
  }

  public long total() {
    return curated + rejected + deadLettered;
  }

  /** The funnel: documents left after each step, from {@code in} to {@code kept}. */
  public LinkedHashMap<String, Long> funnel() {
    LinkedHashMap<String, Long> f = new LinkedHashMap<>();
    long left = total();
    f.put("in", left);
    if (deadLettered > 0) {
      left -= deadLettered;
      f.put("decodable (dead letters out)", left);
    }
    for (var stage : rejectedPerStageRule.entrySet()) {
      List<Map.Entry<String, Long>> rules = new ArrayList<>(stage.getValue().entrySet());
      rules.sort(Map.Entry.<String, Long>comparingByValue().reversed());
      for (var rule : rules) {
        left -= rule.getValue();
        f.put(stage.getKey() + ": " + rule.getKey(), left);
      }
    }
    f.put("kept", left);
    return f;
  }

  /** Near-duplicate cluster sizes (the kept document and its rejected twins) → clusters. */
  public Map<Integer, Long> clusterSizes() {
    Map<Integer, Long> sizes = new TreeMap<>();
    clusters.values().forEach(n -> sizes.merge(n + 1, 1L, Long::sum));
    return sizes;
  }

  /** Every figure, for machines ({@code report.json}). */
  public ObjectNode toJson() {
    ObjectNode o = DocumentJson.mapper().createObjectNode();
    ObjectNode counts = o.putObject("counts");
    counts.put("in", total());
    counts.put("kept", curated);
    counts.put("rejected", rejected);
    counts.put("dead_lettered", deadLettered);
    ObjectNode funnel = o.putObject("funnel");
    funnel().forEach(funnel::put);
    ObjectNode rules = o.putObject("rejected_per_rule");
    rejectedPerStageRule.forEach(
        (stage, m) -> m.forEach((rule, n) -> rules.put(stage + "/" + rule, n)));
    ObjectNode src = o.putObject("sources");
    perSource.forEach(
        (s, kr) -> {
          ObjectNode n = src.putObject(s);
          n.put("kept", kr[0]);
          n.put("rejected", kr[1]);
          n.put("keep_rate", kr[0] + kr[1] == 0 ? 0 : (double) kr[0] / (kr[0] + kr[1]));
        });
    ObjectNode dl = o.putObject("dead_letter_reasons");
    deadLetterReasons.forEach(dl::put);
    ObjectNode cs = o.putObject("near_duplicate_cluster_sizes");
    clusterSizes().forEach((size, n) -> cs.put(Integer.toString(size), n));
    o.set("ccnet_buckets", DocumentJson.mapper().valueToTree(ccnetBuckets));
    o.set("languages", DocumentJson.mapper().valueToTree(languages));
    o.set("pii", DocumentJson.mapper().valueToTree(pii));
    ObjectNode ppl = o.putObject("perplexity_median_per_source");
    perplexityPerSource.forEach((s, v) -> ppl.put(s, median(v)));
    ArrayNode lw = o.putArray("dsir_log_weight_quartiles");
    if (!dsirLogWeights.isEmpty()) {
      List<Double> sorted = new ArrayList<>(dsirLogWeights);
      sorted.sort(null);
      for (double q : new double[] {0.25, 0.5, 0.75}) {
        lw.add(sorted.get((int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size()))));
      }
    }
    return o;
  }

  static double median(List<Double> v) {
    List<Double> s = new ArrayList<>(v);
    s.sort(null);
    return s.isEmpty() ? Double.NaN : s.get(s.size() / 2);
  }

  private static int byStage(String a, String b) {
    int ia = STAGE_ORDER.indexOf(a);
    int ib = STAGE_ORDER.indexOf(b);
    ia = ia < 0 ? STAGE_ORDER.size() : ia;
    ib = ib < 0 ? STAGE_ORDER.size() : ib;
    return ia != ib ? Integer.compare(ia, ib) : a.compareTo(b);
  }
}
