package dev.winnow.jobs.pool;

import dev.winnow.jobs.curation.CurationConfig;
import dev.winnow.jobs.models.BundledModels;
import dev.winnow.prompt.pool.DemonstrationEmbedder;
import dev.winnow.prompt.pool.PoolRegistry;
import java.io.Serializable;
import java.nio.file.Path;

/**
 * Settings of {@link PoolIndexJob}. The Kafka and job sections are the curation job's ({@link CurationConfig.Kafka},
 * {@link CurationConfig.Job}: bootstrap, client properties, checkpoint interval, restarts, bounded); the group id and
 * the transactional-id prefix default to names derived from the pool, so two pools never share offsets.
 */
public class PoolIndexConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  public CurationConfig.Kafka kafka = new CurationConfig.Kafka();
  public CurationConfig.Job job = new CurationConfig.Job();
  /** The topic of demonstrations: one JSON object {@code {"id", "input", "output", "meta"}} a record, keyed by id. */
  public String topic;
  /** Where malformed records go (original bytes, reason in header {@code winnow.error}); null = {@code <topic>.deadletter}. */
  public String deadletterTopic;
  /** The root of the pools ({@code winnow serve --pools ROOT}); the pool lives in {@code ROOT/<pool>}. */
  public String poolsDir;
  /** The pool's name. */
  public String pool;
  /** Read the topic from its beginning instead of the group's committed offsets (a full re-index; upserts are idempotent). */
  public boolean fromBeginning = false;
  public Embedding embedding = new Embedding();

  public PoolIndexConfig() {
    kafka.groupId = null;
    kafka.transactionalIdPrefix = null;
  }

  /** How inputs are embedded: batched into shared model calls, one model per TaskManager JVM. */
  public static class Embedding implements Serializable {
    private static final long serialVersionUID = 1L;
    /** A model directory in Hugging Face layout, or {@code proxy-mini} (bundled); must be the pool's model. */
    public String model = BundledModels.PROXY_MINI;
    /** A new pool embeds the first this many model tokens of each input; an existing pool keeps its own. */
    public int embedTokens = DemonstrationEmbedder.DEFAULT_EMBED_TOKENS;
    /** Most inputs per model call. */
    public int batchSize = 16;
    /** Longest wait for a batch to fill after its first input arrived. */
    public long batchTimeoutMs = 20;
    /** CPU threads of the shared model; 0 = the number of cores. */
    public int threads = 0;
    /** Demonstrations in flight per embedding subtask (Flink async I/O capacity). */
    public int maxInFlight = 256;
    /** A demonstration not embedded within this time fails the attempt (restart from the last checkpoint). */
    public long timeoutMs = 600_000;

    int effectiveThreads() {
      return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }
  }

  public String groupId() {
    return kafka.groupId != null ? kafka.groupId : "winnow-pool-index." + pool;
  }

  public String transactionalIdPrefix() {
    return kafka.transactionalIdPrefix != null ? kafka.transactionalIdPrefix : "winnow-pool-index-" + pool;
  }

  public String deadletterTopic() {
    return deadletterTopic != null ? deadletterTopic : topic + ".deadletter";
  }

  public Path poolDirectory() {
    return Path.of(poolsDir).resolve(pool);
  }

  /** Checks every field; throws IllegalArgumentException naming the field, the value and the rule. */
  public PoolIndexConfig validate() {
    nonBlank("topic", topic);
    nonBlank("poolsDir", poolsDir);
    PoolRegistry.checkName("pool", pool);
    require(deadletterTopic == null || !deadletterTopic.isBlank(), "deadletterTopic", "must be a topic name or absent");
    require(!deadletterTopic().equals(topic), "deadletterTopic", "\"" + deadletterTopic + "\" is the input topic");
    nonBlank("kafka.bootstrap", kafka.bootstrap);
    range("kafka.transactionTimeoutMs", kafka.transactionTimeoutMs, 10_000, 900_000);
    range("job.parallelism", job.parallelism, 0, 4096);
    range("job.checkpointIntervalMs", job.checkpointIntervalMs, 100, 3_600_000);
    require(job.checkpointIntervalMs * 2 < kafka.transactionTimeoutMs, "job.checkpointIntervalMs",
        "value " + job.checkpointIntervalMs + " must be less than half of kafka.transactionTimeoutMs (" + kafka.transactionTimeoutMs + ")");
    range("job.restartAttempts", job.restartAttempts, 0, 1_000_000);
    range("job.restartDelayMs", job.restartDelayMs, 0, 3_600_000);
    range("job.injectFailureAfterRecords", job.injectFailureAfterRecords, 0, Long.MAX_VALUE);
    require("earliest".equals(job.startFrom) || "latest".equals(job.startFrom), "job.startFrom",
        "value \"" + job.startFrom + "\" must be earliest or latest");
    nonBlank("embedding.model", embedding.model);
    range("embedding.embedTokens", embedding.embedTokens, 1, 1 << 20);
    range("embedding.batchSize", embedding.batchSize, 1, 4096);
    range("embedding.batchTimeoutMs", embedding.batchTimeoutMs, 0, 60_000);
    range("embedding.threads", embedding.threads, 0, 1024);
    range("embedding.maxInFlight", embedding.maxInFlight, 1, 1_000_000);
    range("embedding.timeoutMs", embedding.timeoutMs, 1_000, 86_400_000);
    return this;
  }

  private static void require(boolean ok, String field, String rule) {
    if (!ok) {
      throw new IllegalArgumentException("illegal pool-index setting " + field + ": " + rule);
    }
  }

  private static void nonBlank(String field, String v) {
    require(v != null && !v.isBlank(), field, "must be a non-blank string, got " + (v == null ? "null" : "\"" + v + "\""));
  }

  private static void range(String field, long v, long min, long max) {
    require(v >= min && v <= max, field, "value " + v + " must be in [" + min + ", " + max + "]");
  }
}
