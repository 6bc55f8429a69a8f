package dev.winnow.jobs.curation;

import static dev.winnow.jobs.config.ConfigChecks.CHECK;

import dev.winnow.jobs.common.Annotations;
import dev.winnow.jobs.config.ConfigLoader;
import dev.winnow.jobs.config.JobSection;
import dev.winnow.jobs.config.KafkaSection;
import dev.winnow.jobs.curation.dedup.ExactDedupSection;
import dev.winnow.jobs.curation.dedup.NearDedupConfig;
import dev.winnow.jobs.curation.dedup.ReferenceSection;
import dev.winnow.jobs.curation.dedup.ReferenceSet;
import dev.winnow.jobs.curation.dedup.ReferenceText;
import dev.winnow.jobs.curation.filter.DecontaminateSection;
import dev.winnow.jobs.curation.filter.LanguageSection;
import dev.winnow.jobs.curation.filter.PiiSection;
import dev.winnow.jobs.curation.filter.UrlFilterSection;
import dev.winnow.jobs.curation.filter.WordsFilterSection;
import dev.winnow.jobs.curation.scoring.CcnetSection;
import dev.winnow.jobs.curation.scoring.DsirSection;
import dev.winnow.jobs.curation.scoring.IfdSection;
import dev.winnow.jobs.curation.scoring.ScoreSection;
import dev.winnow.jobs.curation.select.SelectSection;
import dev.winnow.selection.quality.QualityConfig;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;

/**
 * The curation pipeline's configuration: one YAML or JSON file ({@link #load}), every field
 * optional with the defaults below. Field names in the file are exactly these names; an unknown
 * name or an invalid value fails fast with a message naming the field path and the allowed range.
 */
public class CurationConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  public KafkaSection kafka = new KafkaSection();
  public Topics topics = new Topics();
  public JobSection job = new JobSection();
  public Normalize normalize = new Normalize();
  public QualityConfig quality = new QualityConfig();
  public ExactDedupSection exactDedup = new ExactDedupSection();
  public NearDedupConfig nearDedup = new NearDedupConfig();
  public ReferenceSection reference = new ReferenceSection();
  public ScoreSection score = new ScoreSection();
  public SelectSection select = new SelectSection();
  public IfdSection ifd = new IfdSection();
  public DsirSection dsir = new DsirSection();
  public CcnetSection ccnet = new CcnetSection();
  public LanguageSection language = new LanguageSection();
  public PiiSection pii = new PiiSection();
  public DecontaminateSection decontaminate = new DecontaminateSection();
  public UrlFilterSection url = new UrlFilterSection();
  public WordsFilterSection words = new WordsFilterSection();

  /** Topic names. */
  public static class Topics implements Serializable {
    private static final long serialVersionUID = 1L;
    public String input = "raw";
    public String curated = "curated";
    public String rejected = "rejected";
    public String deadletter = "deadletter";

    /** Partitions of the output topics when the job creates them. */
    public int partitions = 4;

    /**
     * Replication factor of the output topics when the job creates them; -1 = the broker's default.
     */
    public short replicationFactor = -1;

    /**
     * Input records with more value bytes are dead-lettered unread ({@code oversized record}); the
     * default is Kafka's own default record limit ({@code message.max.bytes}, 1 MiB).
     */
    public int maxRecordBytes = 1_048_576;
  }

  /** Unicode NFC and whitespace normalization. */
  public static class Normalize implements Serializable {
    private static final long serialVersionUID = 1L;
    public boolean enabled = true;
  }

  /**
   * The reference set pinned now (files checked, the topic's end offsets fixed), or null when none
   * is configured.
   */
  public ReferenceSet pinReference() {
    return ReferenceSet.pin(reference, kafka);
  }

  /**
   * How reference texts are prepared before hashing: the same normalization and C4 cleaning as live
   * documents.
   */
  public ReferenceText referenceText() {
    return new ReferenceText(normalize.enabled, quality.c4);
  }

  /**
   * Reads a YAML or JSON file onto the defaults and validates it; its {@code kafka.properties} are
   * reported as coming from that file.
   */
  public static CurationConfig load(Path file) throws IOException {
    return ConfigLoader.load(
        file,
        CurationConfig.class,
        c -> {
          if (c.kafka != null) {
            c.kafka.propertiesSource = "kafka.properties in " + file.toAbsolutePath();
          }
          return c.validate();
        });
  }

  /** The config as JSON (every field), for handing a resolved config to a cluster. */
  public String toJson() {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(this);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write the config as JSON", e);
    }
  }

  /** A config written by {@link #toJson}, validated; its client properties came with it. */
  public static CurationConfig fromJson(String json) throws IOException {
    CurationConfig c =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .enable(
                com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .readValue(json, CurationConfig.class);
    c.kafka.propertiesSource = "the configuration the submitting winnow command sent";
    return c.validate();
  }

  /**
   * Checks every field; throws IllegalArgumentException naming the field path, the value and the
   * allowed range.
   */
  public CurationConfig validate() {
    CHECK.present("kafka", kafka);
    CHECK.present("topics", topics);
    CHECK.present("job", job);
    CHECK.present("normalize", normalize);
    CHECK.present("quality", quality);
    CHECK.present("exactDedup", exactDedup);
    kafka.validate(CHECK, "kafka");
    CHECK.nonBlank("kafka.groupId", kafka.groupId);
    CHECK.nonBlank("kafka.transactionalIdPrefix", kafka.transactionalIdPrefix);
    CHECK.nonBlank("topics.input", topics.input);
    CHECK.nonBlank("topics.curated", topics.curated);
    CHECK.nonBlank("topics.rejected", topics.rejected);
    CHECK.nonBlank("topics.deadletter", topics.deadletter);
    CHECK.range("topics.partitions", topics.partitions, 1, 10_000);
    CHECK.range("topics.maxRecordBytes", topics.maxRecordBytes, 1, Integer.MAX_VALUE);
    CHECK.require(
        topics.replicationFactor == -1 || topics.replicationFactor >= 1,
        "topics.replicationFactor",
        "value " + topics.replicationFactor + " must be -1 (broker default) or at least 1");
    CHECK.require(
        new java.util.HashSet<>(
                    java.util.Arrays.asList(
                        topics.input, topics.curated, topics.rejected, topics.deadletter))
                .size()
            == 4,
        "topics",
        "input, curated, rejected and deadletter must be four different topics");
    job.validate(CHECK, kafka.transactionTimeoutMs);
    CHECK.range("exactDedup.ttlSeconds", exactDedup.ttlSeconds, 0, Long.MAX_VALUE / 1000);
    quality.validate("quality");
    CHECK.require(nearDedup != null, "nearDedup", "missing section");
    nearDedup.validate("nearDedup");
    CHECK.require(reference != null, "reference", "missing section");
    CHECK.require(
        reference.topic == null || !reference.topic.isBlank(),
        "reference.topic",
        "must be null (no reference topic) or a topic name, got \"" + reference.topic + "\"");
    CHECK.require(
        reference.files != null, "reference.files", "must be a list of files (may be empty)");
    for (int i = 0; i < reference.files.size(); i++) {
      CHECK.nonBlank("reference.files[" + i + "]", reference.files.get(i));
    }
    CHECK.require(
        reference.topic == null || !reference.topic.equals(topics.input),
        "reference.topic",
        "\""
            + reference.topic
            + "\" is the input topic; every live document would be a duplicate of itself");
    CHECK.require(
        !reference.configured() || exactDedup.enabled || nearDedup.enabled,
        "reference",
        "a reference set needs exactDedup or nearDedup enabled");
    CHECK.require(score != null, "score", "missing section");
    score.validate(CHECK, "score");
    CHECK.require(select != null, "select", "missing section");
    if (select.enabled) {
      CHECK.nonBlank("select.scoreField", select.scoreField);
      CHECK.require(
          select.scoreField.startsWith("meta."),
          "select.scoreField",
          "\""
              + select.scoreField
              + "\" must be a path starting with meta. (e.g. meta.winnow.score.ppl, meta.quality)");
      CHECK.require(
          select.tokensField == null
              || select.tokensField.isBlank()
              || select.tokensField.startsWith("meta."),
          "select.tokensField",
          "\"" + select.tokensField + "\" must be a path starting with meta.");
      CHECK.require(
          select.sourceWeights != null,
          "select.sourceWeights",
          "must be a map of source to weight (may be empty)");
      try {
        select.budget();
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            e.getMessage().startsWith("illegal config value")
                ? e.getMessage()
                : "illegal config value for " + e.getMessage(),
            e);
      }
      CHECK.require(
          !select.scoreField.startsWith("meta.winnow.score.") || score.enabled,
          "select.scoreField",
          "\""
              + select.scoreField
              + "\" is attached by the perplexity stage, which is off (score.enabled = false)");
    }
    CHECK.require(ifd != null, "ifd", "missing section");
    ifd.validate(CHECK, "ifd");
    CHECK.nonBlank("ifd.promptField", ifd.promptField);
    CHECK.nonBlank("ifd.responseField", ifd.responseField);
    CHECK.require(
        !ifd.promptField.equals(ifd.responseField),
        "ifd.responseField",
        "\"" + ifd.responseField + "\" must differ from ifd.promptField");
    CHECK.require(dsir != null, "dsir", "missing section");
    CHECK.require(
        !dsir.enabled || (dsir.model != null && !dsir.model.isBlank()),
        "dsir.model",
        "required when dsir.enabled is true: the path of a model file written by `winnow dsir fit`");
    CHECK.range("dsir.warmUpDocuments", dsir.warmUpDocuments, 1, 10_000_000);
    CHECK.require(ccnet != null, "ccnet", "missing section");
    CHECK.nonBlank("ccnet.perplexityField", ccnet.perplexityField);
    CHECK.require(
        ccnet.perplexityField.startsWith("meta.")
            && ccnet.perplexityField.length() > "meta.".length()
            && !ccnet.perplexityField.endsWith("."),
        "ccnet.perplexityField",
        "\""
            + ccnet.perplexityField
            + "\" must be a path like meta.winnow.score.ppl_word (the job's annotations) "
            + "or meta.<key> (the document's metadata)");
    CHECK.require(
        !ccnet.enabled
            || score.enabled
            || !ccnet.perplexityField.startsWith(Annotations.WINNOW + "score."),
        "ccnet.perplexityField",
        ccnet.perplexityField
            + " is attached by the score stage: set score.enabled: true, "
            + "or name a perplexity the input documents carry (meta.<key>)");
    CHECK.require(
        ccnet.headCut == null || Double.isFinite(ccnet.headCut),
        "ccnet.headCut",
        "value " + ccnet.headCut + " must be a finite number or null (learn it)");
    CHECK.require(
        ccnet.tailCut == null || Double.isFinite(ccnet.tailCut),
        "ccnet.tailCut",
        "value " + ccnet.tailCut + " must be a finite number or null (learn it)");
    try {
      ccnet.buckets().validate("ccnet");
    } catch (IllegalArgumentException e) {
      CHECK.require(false, "ccnet", e.getMessage());
    }
    CHECK.range("ccnet.warmUpDocuments", ccnet.warmUpDocuments, 1, 10_000_000);
    CHECK.present("language", language);
    language.validate("language");
    CHECK.present("pii", pii);
    pii.validate("pii");
    CHECK.present("decontaminate", decontaminate);
    decontaminate.validate("decontaminate");
    CHECK.present("url", url);
    url.validate("url");
    CHECK.present("words", words);
    words.validate("words");
    return this;
  }
}
