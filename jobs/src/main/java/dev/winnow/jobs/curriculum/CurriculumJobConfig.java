package dev.winnow.jobs.curriculum;

import dev.winnow.jobs.curation.CurationConfig;
import dev.winnow.selection.curriculum.CurriculumConfig;
import dev.winnow.selection.curriculum.DifficultyMeasure;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Settings of {@link CurriculumJob}. Input is a Kafka topic ({@code inputTopic}) or JSONL files ({@code inputFiles}),
 * not both; output is a Kafka topic ({@code outputTopic}), JSONL shards ({@code outputDir}), or both. Public mutable
 * fields, as in {@link CurationConfig}.
 */
public class CurriculumJobConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Kafka bootstrap servers; needed when a topic is read or written. */
  public String bootstrap;
  /** Topic read bounded: read_committed, from the earliest offsets to the end offsets at start. */
  public String inputTopic;
  /** JSONL / JSONL.gz files or directories, read in parallel one file per task. */
  public List<String> inputFiles = new ArrayList<>();
  /** Topic the ordered curriculum is written to, in rank order on partition 0. */
  public String outputTopic;
  /** Undecodable input records go here (original bytes, reason in the {@code winnow.error} header); null = none. */
  public String deadletterTopic;
  /** Directory for {@code stage-SS-NNNNN.jsonl} shards, {@code manifest.json} and {@code rejects.jsonl}. */
  public String outputDir;
  /** Reject file for undecodable input; null = {@code <outputDir>/rejects.jsonl} when there is an output dir. */
  public String rejectFile;
  /** Measure, competence function, c0 and stage count. */
  public CurriculumConfig curriculum = new CurriculumConfig();
  /**
   * Where a perplexity already travels in meta: a dotted path (default: where the curation job's scoring writes it).
   * A plain {@code meta.ppl} is accepted as well. Documents with neither are scored with {@code score.model}.
   */
  public String perplexityField = "winnow.score.ppl";
  /** Records per shard. */
  public int shardSize = 10_000;
  /** Parallelism of reading, measuring and scoring; the ordered pass always runs with parallelism 1. 0 = cores. */
  public int parallelism = 0;
  /** The proxy model for missing perplexities (its {@code enabled} flag is ignored: scoring runs when needed). */
  public CurationConfig.Score score = new CurationConfig.Score();
  /** Transaction timeout of the Kafka sinks; the ordered pass must finish writing within it (broker cap: 15 min). */
  public long transactionTimeoutMs = 600_000;
  public String transactionalIdPrefix = "winnow-curriculum";
  public String groupId = "winnow-curriculum";
  /** Extra Kafka client properties for source and sinks. */
  public Map<String, String> kafkaProperties = new LinkedHashMap<>();
  /**
   * Recovery drill: the ordered pass fails once after emitting this many ranked records (shards and the output
   * transaction half written), and Flink restarts it; 0 = off.
   */
  public long injectFailureAfterRecords = 0;

  /** The measure's name as written into {@code meta.curriculum.measure} and the manifest. */
  public String measureName() {
    return switch (curriculum.measure) {
      case PERPLEXITY -> "perplexity";
      case LENGTH -> "length";
      case COMPRESSION_RATIO -> "compression";
    };
  }

  /** Checks every field; throws IllegalArgumentException naming the field, the value and the rule. */
  public CurriculumJobConfig validate() {
    curriculum.validate("curriculum");
    boolean topicIn = inputTopic != null && !inputTopic.isBlank();
    boolean filesIn = inputFiles != null && !inputFiles.isEmpty();
    if (topicIn == filesIn) {
      throw new IllegalArgumentException("need exactly one input: inputTopic (" + inputTopic + ") or inputFiles ("
          + inputFiles + ")");
    }
    boolean topicOut = outputTopic != null && !outputTopic.isBlank();
    if (!topicOut && (outputDir == null || outputDir.isBlank())) {
      throw new IllegalArgumentException("need an output: outputTopic and/or outputDir");
    }
    if ((topicIn || topicOut || deadletterTopic != null) && (bootstrap == null || bootstrap.isBlank())) {
      throw new IllegalArgumentException("bootstrap must be set to read or write a topic (inputTopic=" + inputTopic
          + ", outputTopic=" + outputTopic + ", deadletterTopic=" + deadletterTopic + ")");
    }
    if (topicIn && deadletterTopic == null && (outputDir == null || outputDir.isBlank()) && rejectFile == null) {
      throw new IllegalArgumentException("a topic input needs somewhere for undecodable records: deadletterTopic, "
          + "rejectFile or outputDir");
    }
    if (shardSize < 1) {
      throw new IllegalArgumentException("shardSize = " + shardSize + " is out of range: must be >= 1");
    }
    if (parallelism < 0) {
      throw new IllegalArgumentException("parallelism = " + parallelism + " is out of range: must be >= 0 (0 = cores)");
    }
    if (curriculum.measure == DifficultyMeasure.PERPLEXITY && (perplexityField == null || perplexityField.isBlank())) {
      throw new IllegalArgumentException("perplexityField must not be blank for the perplexity measure");
    }
    if (injectFailureAfterRecords < 0) {
      throw new IllegalArgumentException("injectFailureAfterRecords = " + injectFailureAfterRecords
          + " is out of range: must be >= 0 (0 = off)");
    }
    if (transactionTimeoutMs < 10_000 || transactionTimeoutMs > 900_000) {
      throw new IllegalArgumentException("transactionTimeoutMs = " + transactionTimeoutMs
          + " is out of range: must be in [10000, 900000] (a default broker refuses more than 15 min)");
    }
    return this;
  }

  /** The reject file, or null for none. */
  String rejectFileOrDefault() {
    if (rejectFile != null) {
      return rejectFile;
    }
    return outputDir == null || outputDir.isBlank() ? null : java.nio.file.Path.of(outputDir, "rejects.jsonl").toString();
  }
}
