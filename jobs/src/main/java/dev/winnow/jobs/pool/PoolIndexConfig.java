package dev.winnow.jobs.pool;

import dev.winnow.jobs.curation.ConfigChecks;
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
  public static class Embedding extends CurationConfig.ModelCalls {
    private static final long serialVersionUID = 1L;
    /** A new pool embeds the first this many model tokens of each input; an existing pool keeps its own. */
    public int embedTokens = DemonstrationEmbedder.DEFAULT_EMBED_TOKENS;

    public Embedding() {
      model = BundledModels.PROXY_MINI;  // must be the pool's model
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
    CHECK.nonBlank("topic", topic);
    CHECK.nonBlank("poolsDir", poolsDir);
    PoolRegistry.checkName("pool", pool);
    CHECK.require(deadletterTopic == null || !deadletterTopic.isBlank(), "deadletterTopic", "must be a topic name or absent");
    CHECK.require(!deadletterTopic().equals(topic), "deadletterTopic", "\"" + deadletterTopic + "\" is the input topic");
    CHECK.nonBlank("kafka.bootstrap", kafka.bootstrap);
    CHECK.range("kafka.transactionTimeoutMs", kafka.transactionTimeoutMs, 10_000, 900_000);
    job.validate(CHECK, kafka.transactionTimeoutMs);
    embedding.validate(CHECK, "embedding");
    CHECK.range("embedding.embedTokens", embedding.embedTokens, 1, 1 << 20);
    return this;
  }

  private static final ConfigChecks CHECK = new ConfigChecks("illegal pool-index setting ");
}
