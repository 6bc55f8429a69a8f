package dev.winnow.jobs.curation;

import dev.winnow.selection.quality.QualityConfig;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The curation pipeline's configuration: one YAML or JSON file (see {@link ConfigLoader}), every field optional with
 * the defaults below. Field names in the file are exactly these names; an unknown name or an invalid value fails fast
 * with a message naming the field path and the allowed range.
 */
public class CurationConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  public Kafka kafka = new Kafka();
  public Topics topics = new Topics();
  public Job job = new Job();
  public Normalize normalize = new Normalize();
  public QualityConfig quality = new QualityConfig();
  public ExactDedup exactDedup = new ExactDedup();
  public NearDedupConfig nearDedup = new NearDedupConfig();
  public Reference reference = new Reference();
  public Score score = new Score();
  public Select select = new Select();
  public Ifd ifd = new Ifd();
  public Dsir dsir = new Dsir();
  public Ccnet ccnet = new Ccnet();

  /** Where the job reads and writes. */
  public static class Kafka implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Bootstrap servers; {@code winnow curate --bootstrap} overrides it. */
    public String bootstrap = "localhost:9092";
    /** Consumer group of the source (offsets are committed on checkpoints, for monitoring). */
    public String groupId = "winnow-curation";
    /**
     * Transaction timeout of the exactly-once sinks. Must not exceed the broker's {@code transaction.max.timeout.ms}
     * (default 900,000 ms = 15 min); the connector's own default (1 h) would be refused by a default broker. Must
     * exceed the checkpoint interval by a wide margin, since a transaction stays open until its checkpoint completes.
     */
    public long transactionTimeoutMs = 600_000;
    /** Prefix of the sinks' transactional ids; unique per job on a cluster. */
    public String transactionalIdPrefix = "winnow-curation";
    /** Extra Kafka client properties (security, timeouts) for source and sinks. */
    public Map<String, String> properties = new LinkedHashMap<>();
  }

  /** Topic names. */
  public static class Topics implements Serializable {
    private static final long serialVersionUID = 1L;
    public String input = "raw";
    public String curated = "curated";
    public String rejected = "rejected";
    public String deadletter = "deadletter";
    /** Partitions of the output topics when the job creates them. */
    public int partitions = 4;
    /** Replication factor of the output topics when the job creates them; -1 = the broker's default. */
    public short replicationFactor = -1;
  }

  /** How the job runs. */
  public static class Job implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Operator parallelism; 0 = the number of cores. */
    public int parallelism = 0;
    /** Checkpoint interval: output becomes visible to read_committed consumers once per interval. */
    public long checkpointIntervalMs = 5_000;
    /** Read until the end offsets seen at start, then finish (a batch run over a topic); false = run forever. */
    public boolean bounded = false;
    /** Where to start when the group has no committed offsets: {@code earliest} or {@code latest}. */
    public String startFrom = "earliest";
    /** {@code hashmap} (state on the heap) or {@code rocksdb} (state on disk, for large dedup state). */
    public String stateBackend = "hashmap";
    /** Checkpoint storage URI (e.g. {@code file:///data/ckpt}, {@code s3://...}); null = a local temporary directory. */
    public String checkpointDir = null;
    /** Restarts after a failure (from the last checkpoint) before the job gives up. */
    public int restartAttempts = 3;
    /** Wait between restarts. */
    public long restartDelayMs = 1_000;
    /** Recovery drill: fail once after this many records, then restart from the last checkpoint; 0 = off. */
    public long injectFailureAfterRecords = 0;

    /** Checks the {@code job} section; the checkpoint interval must stay below half the sinks' transaction timeout. */
    public void validate(ConfigChecks check, long transactionTimeoutMs) {
      check.range("job.parallelism", parallelism, 0, 4096);
      check.range("job.checkpointIntervalMs", checkpointIntervalMs, 100, 3_600_000);
      check.require(checkpointIntervalMs * 2 < transactionTimeoutMs, "job.checkpointIntervalMs",
          "value " + checkpointIntervalMs + " must be less than half of kafka.transactionTimeoutMs ("
              + transactionTimeoutMs + ")");
      check.range("job.restartAttempts", restartAttempts, 0, 1_000_000);
      check.range("job.restartDelayMs", restartDelayMs, 0, 3_600_000);
      check.range("job.injectFailureAfterRecords", injectFailureAfterRecords, 0, Long.MAX_VALUE);
      check.oneOf("job.startFrom", startFrom, "earliest", "latest");
      check.oneOf("job.stateBackend", stateBackend, "hashmap", "rocksdb");
    }
  }

  /** Unicode NFC and whitespace normalization. */
  public static class Normalize implements Serializable {
    private static final long serialVersionUID = 1L;
    public boolean enabled = true;
  }

  /** Exact dedup on a 128-bit hash of the normalized text; the first occurrence is kept. */
  public static class ExactDedup implements Serializable {
    private static final long serialVersionUID = 1L;
    public boolean enabled = true;
    /** How long a seen hash is remembered, in seconds; 0 = forever. */
    public long ttlSeconds = 0;
  }

  /**
   * Documents that were already kept (an earlier {@code curated} topic, or JSONL / JSONL.gz files): the dedup stages
   * are seeded with them before any live document is decided, so new data is checked against them. Reference documents
   * are never written to an output topic. Each dedup subtask reads the whole reference set when it starts (and again
   * after a restart); the topic is read up to the end offsets seen when the job was built, so a restart reads exactly
   * the same reference documents.
   */
  public static class Reference implements Serializable {
    private static final long serialVersionUID = 1L;
    /** A topic of documents in the wire format, e.g. the {@code curated} topic of an earlier run; null = none. */
    public String topic = null;
    /** JSONL / JSONL.gz files or directories of them, read in the order given. */
    public List<String> files = new ArrayList<>();

    /** Whether any reference source is configured. */
    public boolean configured() {
      return topic != null || !files.isEmpty();
    }
  }

  /**
   * Proxy-model perplexity of every kept document, attached as {@code meta.winnow.score} ({@code tokens},
   * {@code mean_nll}, {@code ppl}, {@code ppl_word}, {@code model}) so selection can be re-run without re-scoring.
   * Documents are batched (by count and by time) into shared scorer calls, one model per TaskManager JVM; long
   * documents are scored in overlapping windows of the model's context.
   */
  public static class Score extends ModelCalls {
    private static final long serialVersionUID = 1L;
    public boolean enabled = false;
  }

  /**
   * How a stage calls the proxy model (perplexity, IFD, pool embeddings): inputs from all subtasks of a TaskManager
   * are batched, by count and by time, into the calls of one shared model there; the stage runs under Flink's async
   * I/O operator, whose in-flight inputs are part of every checkpoint.
   */
  public static class ModelCalls implements Serializable {
    private static final long serialVersionUID = 1L;
    /** A model directory in Hugging Face layout, or {@code proxy-mini} (bundled). */
    public String model = "proxy-mini";
    /** Most inputs per model call. */
    public int batchSize = 16;
    /** Longest wait for a batch to fill after its first input arrived. */
    public long batchTimeoutMs = 20;
    /** CPU threads of the shared model; 0 = the number of cores. */
    public int threads = 0;
    /** Inputs in flight per subtask (Flink async I/O capacity). */
    public int maxInFlight = 256;
    /** An input not handled within this time fails the attempt (the job restarts from its last checkpoint). */
    public long timeoutMs = 600_000;

    /** {@link #threads}, or the number of cores for 0. */
    public int effectiveThreads() {
      return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }

    /** Checks the fields of the section at {@code path} (e.g. {@code score}). */
    public void validate(ConfigChecks check, String path) {
      check.nonBlank(path + ".model", model);
      check.range(path + ".batchSize", batchSize, 1, 4096);
      check.range(path + ".batchTimeoutMs", batchTimeoutMs, 0, 60_000);
      check.range(path + ".threads", threads, 0, 1024);
      check.range(path + ".maxInFlight", maxInFlight, 1, 1_000_000);
      check.range(path + ".timeoutMs", timeoutMs, 1_000, 86_400_000);
    }
  }

  /**
   * Budgeted selection in the stream (the last stage before the sinks): keeps about {@code fraction} of the documents
   * (or tokens) with the best score, or samples by the score without replacement (Gumbel top-k, for DSIR
   * log-weights), optionally with per-source mixture weights and a hard cap. The threshold comes from a bounded
   * reservoir sample of the scores seen so far ({@link dev.winnow.selection.budget.StreamingBudgetSelector}); the
   * first {@code warmup} documents are held (in checkpointed state) until the first estimate. Every dropped document
   * goes to {@code rejected} with stage {@code select}, rule {@code below budget}, its score and the threshold; a
   * document without the score goes there with rule {@code missing score}. Runs as one subtask, so fractions, shares
   * and the cap hold for the whole stream.
   */
  public static class Select implements Serializable {
    private static final long serialVersionUID = 1L;
    public boolean enabled = false;
    /**
     * The score to rank by: a path into the document's metadata ({@code meta.quality}, {@code meta.stats.score}), or
     * under {@code meta.winnow.} into what the job attached ({@code meta.winnow.score.ppl},
     * {@code meta.winnow.dsir.log_weight}).
     */
    public String scoreField = "meta.winnow.score.ppl";
    /** Rank by the negated score (perplexity: lower is better). */
    public boolean lowerIsBetter = true;
    /** {@code top-k} (best first) or {@code gumbel} (sample proportional to exp(score / temperature)). */
    public String method = "top-k";
    /** Gumbel temperature. */
    public double temperature = 1.0;
    /** Seed of the Gumbel noise and of the reservoir. */
    public long seed = 0;
    /** What the budget counts: {@code documents} or {@code tokens}. */
    public String unit = "documents";
    /** Share of the stream's units to keep, in (0, 1]; 1 keeps everything that has the score. */
    public double fraction = 1.0;
    /** Hard cap on kept units over the whole run; -1 = none. */
    public long maxUnits = -1;
    /** Token count of a document for token budgets: a path like {@link #scoreField}; absent = tokenized with {@code score.model}. */
    public String tokensField = "meta.winnow.score.tokens";
    /** Per-source mixture weights (source -> weight); empty = one pool. A source not listed gets no share. */
    public Map<String, Double> sourceWeights = new LinkedHashMap<>();
    /** Reservoir sample size (per source) for the threshold estimate. */
    public int reservoirSize = 10_000;
    /** Documents held (per source) until the first estimate; at most reservoirSize. */
    public int warmup = 1_000;
    /** Documents between threshold re-estimates. */
    public int refreshEvery = 256;

    /** The selector's settings; throws naming the {@code select.*} field that is out of range. */
    public dev.winnow.selection.budget.BudgetConfig budget() {
      dev.winnow.selection.budget.BudgetConfig b = new dev.winnow.selection.budget.BudgetConfig();
      b.unit = switch (unit) {
        case "documents" -> dev.winnow.selection.budget.BudgetConfig.Unit.DOCUMENTS;
        case "tokens" -> dev.winnow.selection.budget.BudgetConfig.Unit.TOKENS;
        default -> throw new IllegalArgumentException("illegal config value for select.unit: value \"" + unit
            + "\" must be one of documents, tokens");
      };
      b.method = switch (method) {
        case "top-k" -> dev.winnow.selection.budget.BudgetConfig.Method.TOP_K;
        case "gumbel" -> dev.winnow.selection.budget.BudgetConfig.Method.GUMBEL_TOP_K;
        default -> throw new IllegalArgumentException("illegal config value for select.method: value \"" + method
            + "\" must be one of top-k, gumbel");
      };
      b.fraction = fraction;
      b.budget = maxUnits;
      b.temperature = temperature;
      b.seed = seed;
      b.sourceWeights = sourceWeights == null || sourceWeights.isEmpty() ? null : new LinkedHashMap<>(sourceWeights);
      b.reservoirSize = reservoirSize;
      b.warmup = warmup;
      b.refreshEvery = refreshEvery;
      b.validate("select");
      return b;
    }
  }

  /**
   * Instruction-following difficulty (IFD, Li et al. 2024; with a proxy model as in Superfiltering) of documents that
   * carry a (prompt, response) pair: {@code meta.winnow.ifd} = {@code {ifd, conditional_ppl, response_ppl, model}}.
   * The pair is read from the document's own metadata, top-level keys {@link #promptField} and {@link #responseField},
   * both strings; a document without both (absent, null or not a string) is not instruction data and passes through
   * unchanged. Pairs are batched like the perplexity stage's documents, one model per TaskManager JVM.
   */
  public static class Ifd extends ModelCalls {
    private static final long serialVersionUID = 1L;
    public boolean enabled = false;
    /** Key in the document's {@code meta} holding the prompt (instruction and input). */
    public String promptField = "prompt";
    /** Key in the document's {@code meta} holding the response. */
    public String responseField = "response";
  }

  /**
   * DSIR importance weight (Xie et al. 2023) of every kept document towards a target distribution:
   * {@code meta.winnow.dsir} = {@code {log_weight}}. The model is a {@code winnow dsir fit} file; when it has no raw
   * distribution, each subtask fits one from the first {@link #warmUpDocuments} documents it sees, which wait in
   * checkpointed state until then (see {@link WarmUpOperator}).
   */
  public static class Dsir implements Serializable {
    private static final long serialVersionUID = 1L;
    public boolean enabled = false;
    /** Path of a {@code winnow dsir fit} model file; required when enabled (read and checked when the job is built). */
    public String model = null;
    /** Documents per subtask that fit the raw distribution when the model file has none. */
    public int warmUpDocuments = 1000;
  }

  /**
   * CCNet perplexity buckets (Wenzek et al. 2020): {@code meta.winnow.ccnet} = {@code {bucket, head_cut, tail_cut}}
   * with bucket {@code head} (perplexity at most head_cut), {@code middle} (at most tail_cut) or {@code tail}. Cut
   * points are given, or each subtask learns them at the percentiles from the perplexities of the first
   * {@link #warmUpDocuments} documents it sees (held in checkpointed state until then). A document without the
   * perplexity (absent, null: a text of one token) is {@code tail}, as in {@code PerplexityBuckets}.
   */
  public static class Ccnet implements Serializable {
    private static final long serialVersionUID = 1L;
    public boolean enabled = false;
    /**
     * Where the perplexity is: {@code meta.winnow.<...>} in the job's annotations (the default needs score.enabled),
     * or {@code meta.<key>} in the document's own metadata.
     */
    public String perplexityField = "meta.winnow.score.ppl_word";
    /** Given head/middle cut point (with tailCut); null = learn both from the warm-up sample. */
    public Double headCut = null;
    /** Given middle/tail cut point (with headCut); null = learn both from the warm-up sample. */
    public Double tailCut = null;
    /** Share of the warm-up sample at or below the head cut (CCNet: 30%). */
    public double headPercentile = 0.30;
    /** Share of the warm-up sample at or below the tail cut (CCNet: 60%). */
    public double tailPercentile = 0.60;
    /** Documents per subtask whose perplexities learn the cut points (unused when the cuts are given). */
    public int warmUpDocuments = 1000;

    /** The section as the selection module's bucket settings. */
    public dev.winnow.selection.ccnet.PerplexityBucketsConfig buckets() {
      var c = new dev.winnow.selection.ccnet.PerplexityBucketsConfig();
      c.headPercentile = headPercentile;
      c.tailPercentile = tailPercentile;
      c.headCut = headCut == null ? Double.NaN : headCut;
      c.tailCut = tailCut == null ? Double.NaN : tailCut;
      return c;
    }
  }

  /** Checks every field; throws IllegalArgumentException naming the field path, the value and the allowed range. */
  public CurationConfig validate() {
    CHECK.require(kafka != null, "kafka", "missing section");
    CHECK.require(topics != null, "topics", "missing section");
    CHECK.require(job != null, "job", "missing section");
    CHECK.require(normalize != null, "normalize", "missing section");
    CHECK.require(quality != null, "quality", "missing section");
    CHECK.require(exactDedup != null, "exactDedup", "missing section");
    CHECK.nonBlank("kafka.bootstrap", kafka.bootstrap);
    CHECK.nonBlank("kafka.groupId", kafka.groupId);
    CHECK.nonBlank("kafka.transactionalIdPrefix", kafka.transactionalIdPrefix);
    CHECK.range("kafka.transactionTimeoutMs", kafka.transactionTimeoutMs, 10_000, 3_600_000);
    CHECK.nonBlank("topics.input", topics.input);
    CHECK.nonBlank("topics.curated", topics.curated);
    CHECK.nonBlank("topics.rejected", topics.rejected);
    CHECK.nonBlank("topics.deadletter", topics.deadletter);
    CHECK.range("topics.partitions", topics.partitions, 1, 10_000);
    CHECK.require(topics.replicationFactor == -1 || topics.replicationFactor >= 1, "topics.replicationFactor",
        "value " + topics.replicationFactor + " must be -1 (broker default) or at least 1");
    CHECK.require(new java.util.HashSet<>(java.util.Arrays.asList(topics.input, topics.curated, topics.rejected, topics.deadletter)).size() == 4,
        "topics", "input, curated, rejected and deadletter must be four different topics");
    job.validate(CHECK, kafka.transactionTimeoutMs);
    CHECK.range("exactDedup.ttlSeconds", exactDedup.ttlSeconds, 0, Long.MAX_VALUE / 1000);
    quality.validate("quality");
    CHECK.require(nearDedup != null, "nearDedup", "missing section");
    nearDedup.validate("nearDedup");
    CHECK.require(reference != null, "reference", "missing section");
    CHECK.require(reference.topic == null || !reference.topic.isBlank(), "reference.topic",
        "must be null (no reference topic) or a topic name, got \"" + reference.topic + "\"");
    CHECK.require(reference.files != null, "reference.files", "must be a list of files (may be empty)");
    for (int i = 0; i < reference.files.size(); i++) {
      CHECK.nonBlank("reference.files[" + i + "]", reference.files.get(i));
    }
    CHECK.require(reference.topic == null || !reference.topic.equals(topics.input), "reference.topic",
        "\"" + reference.topic + "\" is the input topic; every live document would be a duplicate of itself");
    CHECK.require(!reference.configured() || exactDedup.enabled || nearDedup.enabled, "reference",
        "a reference set needs exactDedup or nearDedup enabled");
    CHECK.require(score != null, "score", "missing section");
    score.validate(CHECK, "score");
    CHECK.require(select != null, "select", "missing section");
    if (select.enabled) {
      CHECK.nonBlank("select.scoreField", select.scoreField);
      CHECK.require(select.scoreField.startsWith("meta."), "select.scoreField",
          "\"" + select.scoreField + "\" must be a path starting with meta. (e.g. meta.winnow.score.ppl, meta.quality)");
      CHECK.require(select.tokensField == null || select.tokensField.isBlank() || select.tokensField.startsWith("meta."),
          "select.tokensField", "\"" + select.tokensField + "\" must be a path starting with meta.");
      CHECK.require(select.sourceWeights != null, "select.sourceWeights", "must be a map of source to weight (may be empty)");
      try {
        select.budget();
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(e.getMessage().startsWith("illegal config value") ? e.getMessage()
            : "illegal config value for " + e.getMessage(), e);
      }
      CHECK.require(!select.scoreField.startsWith("meta.winnow.score.") || score.enabled, "select.scoreField",
          "\"" + select.scoreField + "\" is attached by the perplexity stage, which is off (score.enabled = false)");
    }
    CHECK.require(ifd != null, "ifd", "missing section");
    ifd.validate(CHECK, "ifd");
    CHECK.nonBlank("ifd.promptField", ifd.promptField);
    CHECK.nonBlank("ifd.responseField", ifd.responseField);
    CHECK.require(!ifd.promptField.equals(ifd.responseField), "ifd.responseField",
        "\"" + ifd.responseField + "\" must differ from ifd.promptField");
    CHECK.require(dsir != null, "dsir", "missing section");
    CHECK.require(!dsir.enabled || (dsir.model != null && !dsir.model.isBlank()), "dsir.model",
        "required when dsir.enabled is true: the path of a model file written by `winnow dsir fit`");
    CHECK.range("dsir.warmUpDocuments", dsir.warmUpDocuments, 1, 10_000_000);
    CHECK.require(ccnet != null, "ccnet", "missing section");
    CHECK.nonBlank("ccnet.perplexityField", ccnet.perplexityField);
    CHECK.require(ccnet.perplexityField.startsWith("meta.") && ccnet.perplexityField.length() > "meta.".length()
            && !ccnet.perplexityField.endsWith("."), "ccnet.perplexityField",
        "\"" + ccnet.perplexityField + "\" must be a path like meta.winnow.score.ppl_word (the job's annotations) "
            + "or meta.<key> (the document's metadata)");
    CHECK.require(!ccnet.enabled || score.enabled || !ccnet.perplexityField.startsWith(Annotations.WINNOW + "score."),
        "ccnet.perplexityField", ccnet.perplexityField + " is attached by the score stage: set score.enabled: true, "
            + "or name a perplexity the input documents carry (meta.<key>)");
    CHECK.require(ccnet.headCut == null || Double.isFinite(ccnet.headCut), "ccnet.headCut",
        "value " + ccnet.headCut + " must be a finite number or null (learn it)");
    CHECK.require(ccnet.tailCut == null || Double.isFinite(ccnet.tailCut), "ccnet.tailCut",
        "value " + ccnet.tailCut + " must be a finite number or null (learn it)");
    try {
      ccnet.buckets().validate("ccnet");
    } catch (IllegalArgumentException e) {
      CHECK.require(false, "ccnet", e.getMessage());
    }
    CHECK.range("ccnet.warmUpDocuments", ccnet.warmUpDocuments, 1, 10_000_000);
    return this;
  }

  private static final ConfigChecks CHECK = new ConfigChecks("illegal config value for ");
}
