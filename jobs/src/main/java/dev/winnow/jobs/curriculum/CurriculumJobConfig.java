package dev.winnow.jobs.curriculum;

import static dev.winnow.jobs.config.ConfigChecks.CHECK;

import dev.winnow.jobs.config.KafkaSection;
import dev.winnow.jobs.config.ModelCalls;
import dev.winnow.selection.curriculum.CurriculumConfig;
import dev.winnow.selection.curriculum.DifficultyMeasure;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Settings of {@link CurriculumJob}. Input is a Kafka topic ({@code inputTopic}) or JSONL files
 * ({@code inputFiles}), not both; output is a Kafka topic ({@code outputTopic}), JSONL shards
 * ({@code outputDir}), or both. Public mutable fields, as in the other jobs' configurations; the
 * {@code kafka} section is the shared one ({@link KafkaSection}), whose bootstrap servers are
 * needed only when a topic is read or written.
 */
public class CurriculumJobConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * Bootstrap servers (none by default: needed only when a topic is read or written), client
   * properties, sinks.
   */
  public KafkaSection kafka = kafkaDefaults();

  /** Topic read bounded: read_committed, from the earliest offsets to the end offsets at start. */
  public String inputTopic;

  /** JSONL / JSONL.gz files or directories, read in parallel one file per task. */
  public List<String> inputFiles = new ArrayList<>();

  /** Topic the ordered curriculum is written to, in rank order on partition 0. */
  public String outputTopic;

  /**
   * Undecodable input records go here (original bytes, reason in the {@code winnow.error} header);
   * null = none.
   */
  public String deadletterTopic;

  /**
   * Directory for {@code stage-SS-NNNNN.jsonl} shards, {@code manifest.json} and {@code
   * rejects.jsonl}.
   */
  public String outputDir;

  /**
   * Reject file for undecodable input; null = {@code <outputDir>/rejects.jsonl} when there is an
   * output dir.
   */
  public String rejectFile;

  /** Measure, competence function, c0 and stage count. */
  public CurriculumConfig curriculum = new CurriculumConfig();

  /**
   * Where a perplexity already travels in meta: a dotted path (default: where the curation job's
   * scoring writes it). A plain {@code meta.ppl} is accepted as well. Documents with neither are
   * scored with {@code score.model}.
   */
  public String perplexityField = "winnow.score.ppl";

  /** Records per shard. */
  public int shardSize = 10_000;

  /**
   * Parallelism of reading, measuring and scoring; the ordered pass always runs with parallelism 1.
   * 0 = cores.
   */
  public int parallelism = 0;

  /**
   * The proxy model for missing perplexities (its {@code enabled} flag is ignored: scoring runs
   * when needed).
   */
  public ModelCalls score = new ModelCalls();

  /**
   * Recovery drill: the ordered pass fails once after emitting this many ranked records (shards and
   * the output transaction half written), and Flink restarts it; 0 = off.
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

  private static KafkaSection kafkaDefaults() {
    KafkaSection k = KafkaSection.named("winnow-curriculum", "winnow-curriculum");
    k.bootstrap = null;
    return k;
  }

  /**
   * Checks every field; throws IllegalArgumentException naming the field, the value and the rule.
   */
  public CurriculumJobConfig validate() {
    curriculum.validate("curriculum");
    CHECK.present("kafka", kafka);
    CHECK.present("score", score);
    boolean topicIn = inputTopic != null && !inputTopic.isBlank();
    boolean filesIn = inputFiles != null && !inputFiles.isEmpty();
    CHECK.require(
        topicIn != filesIn,
        "inputTopic",
        "need exactly one input: inputTopic ("
            + inputTopic
            + ") or inputFiles ("
            + inputFiles
            + ")");
    boolean topicOut = outputTopic != null && !outputTopic.isBlank();
    CHECK.require(
        topicOut || (outputDir != null && !outputDir.isBlank()),
        "outputTopic",
        "need an output: outputTopic and/or outputDir");
    boolean usesKafka = topicIn || topicOut || deadletterTopic != null;
    CHECK.require(
        !usesKafka || (kafka.bootstrap != null && !kafka.bootstrap.isBlank()),
        "kafka.bootstrap",
        "must be set to read or write a topic (inputTopic="
            + inputTopic
            + ", outputTopic="
            + outputTopic
            + ", deadletterTopic="
            + deadletterTopic
            + "); give --bootstrap HOST:PORT");
    if (usesKafka) {
      kafka.validate(CHECK, "kafka");
    }
    CHECK.require(
        !topicIn
            || deadletterTopic != null
            || (outputDir != null && !outputDir.isBlank())
            || rejectFile != null,
        "deadletterTopic",
        "a topic input needs somewhere for undecodable records: deadletterTopic, rejectFile or outputDir");
    CHECK.range("shardSize", shardSize, 1, Integer.MAX_VALUE);
    CHECK.range("parallelism", parallelism, 0, 4096, "0 = the number of cores");
    if (curriculum.measure == DifficultyMeasure.PERPLEXITY) {
      CHECK.nonBlank("perplexityField", perplexityField);
      score.validate(CHECK, "score");
    }
    CHECK.range(
        "injectFailureAfterRecords", injectFailureAfterRecords, 0, Long.MAX_VALUE, "0 = off");
    return this;
  }

  /** The reject file, or null for none. */
  String rejectFileOrDefault() {
    if (rejectFile != null) {
      return rejectFile;
    }
    return outputDir == null || outputDir.isBlank()
        ? null
        : java.nio.file.Path.of(outputDir, "rejects.jsonl").toString();
  }
}
