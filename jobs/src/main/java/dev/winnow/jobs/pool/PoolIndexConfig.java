package dev.winnow.jobs.pool;

import static dev.winnow.jobs.config.ConfigChecks.CHECK;

import dev.winnow.jobs.config.JobSection;
import dev.winnow.jobs.config.KafkaSection;
import dev.winnow.jobs.config.ModelCalls;
import dev.winnow.jobs.models.BundledModels;
import dev.winnow.prompt.pool.DemonstrationEmbedder;
import dev.winnow.prompt.pool.PoolRegistry;
import java.io.Serializable;
import java.nio.file.Path;

/**
 * Settings of {@link PoolIndexJob}. The Kafka and job sections are the shared ones ({@link
 * KafkaSection}, {@link JobSection}: bootstrap, client properties, checkpoint interval, restarts,
 * bounded); the group id and the transactional-id prefix default to names derived from the pool, so
 * two pools never share offsets.
 */
public class PoolIndexConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  public KafkaSection kafka = new KafkaSection();
  public JobSection job = new JobSection();

  /**
   * The topic of demonstrations: one JSON object {@code {"id", "input", "output", "meta"}} a
   * record, keyed by id.
   */
  public String topic;

  /**
   * Where malformed records go (original bytes, reason in header {@code winnow.error}); null =
   * {@code <topic>.deadletter}.
   */
  public String deadletterTopic;

  /**
   * The root of the pools ({@code winnow serve --pools ROOT}); the pool lives in {@code
   * ROOT/<pool>}.
   */
  public String poolsDir;

  /** The pool's name. */
  public String pool;

  /**
   * Read the topic from its beginning instead of the group's committed offsets (a full re-index;
   * upserts are idempotent).
   */
  public boolean fromBeginning = false;

  public Embedding embedding = new Embedding();

  public PoolIndexConfig() {
    kafka.groupId = null;
    kafka.transactionalIdPrefix = null;
  }

  /** How inputs are embedded: batched into shared model calls, one model per TaskManager JVM. */
  public static class Embedding extends ModelCalls {
    private static final long serialVersionUID = 1L;

    /**
     * A new pool embeds the first this many model tokens of each input; an existing pool keeps its
     * own.
     */
    public int embedTokens = DemonstrationEmbedder.DEFAULT_EMBED_TOKENS;

    public Embedding() {
      model = BundledModels.PROXY_MINI; // must be the pool's model
    }
  }

  public String groupId() {
    return kafka.groupId != null ? kafka.groupId : "winnow-pool-index." + pool;
  }

  public String transactionalIdPrefix() {
    return kafka.transactionalIdPrefix != null
        ? kafka.transactionalIdPrefix
        : "winnow-pool-index-" + pool;
  }

  public String deadletterTopic() {
    return deadletterTopic != null ? deadletterTopic : topic + ".deadletter";
  }

  public Path poolDirectory() {
    return Path.of(poolsDir).resolve(pool);
  }

  /**
   * Checks every field; throws IllegalArgumentException naming the field, the value and the rule.
   */
  public PoolIndexConfig validate() {
    CHECK.nonBlank("topic", topic);
    CHECK.nonBlank("poolsDir", poolsDir);
    PoolRegistry.checkName("pool", pool);
    CHECK.require(
        deadletterTopic == null || !deadletterTopic.isBlank(),
        "deadletterTopic",
        "must be a topic name or absent");
    CHECK.require(
        !deadletterTopic().equals(topic),
        "deadletterTopic",
        "\"" + deadletterTopic + "\" is the input topic");
    CHECK.present("kafka", kafka);
    CHECK.present("job", job);
    CHECK.present("embedding", embedding);
    kafka.validate(CHECK, "kafka");
    job.validate(CHECK, kafka.transactionTimeoutMs);
    embedding.validate(CHECK, "embedding");
    CHECK.range("embedding.embedTokens", embedding.embedTokens, 1, 1 << 20);
    return this;
  }
}
