package dev.winnow.jobs.curation;

import dev.winnow.jobs.common.Count;
import dev.winnow.jobs.common.DeadLetterRecord;
import dev.winnow.jobs.common.DecodeFunction;
import dev.winnow.jobs.common.DocRecord;
import dev.winnow.jobs.common.InjectedFailure;
import dev.winnow.jobs.common.PerplexityScoreFunction;
import dev.winnow.jobs.common.RawRecord;
import dev.winnow.jobs.common.RejectedCount;
import dev.winnow.jobs.common.RejectedRecord;
import dev.winnow.jobs.common.RuleCounters;
import dev.winnow.jobs.curation.dedup.BandAnswer;
import dev.winnow.jobs.curation.dedup.BandBucketFunction;
import dev.winnow.jobs.curation.dedup.BandProbe;
import dev.winnow.jobs.curation.dedup.ExactDedupFunction;
import dev.winnow.jobs.curation.dedup.NearDupDecisionFunction;
import dev.winnow.jobs.curation.dedup.NearDupSignatureFunction;
import dev.winnow.jobs.curation.dedup.ReferenceSet;
import dev.winnow.jobs.curation.dedup.ReferenceText;
import dev.winnow.jobs.curation.dedup.SketchStoreFunction;
import dev.winnow.jobs.curation.filter.FilterStageFunction;
import dev.winnow.jobs.curation.filter.FilterStages;
import dev.winnow.jobs.curation.filter.QualityFunction;
import dev.winnow.jobs.curation.scoring.CcnetStage;
import dev.winnow.jobs.curation.scoring.DsirStage;
import dev.winnow.jobs.curation.scoring.InstructionDifficultyFunction;
import dev.winnow.jobs.curation.scoring.WarmUpOperator;
import dev.winnow.jobs.curation.select.BudgetSelectOperator;
import dev.winnow.jobs.kafka.CuratedSerializer;
import dev.winnow.jobs.kafka.DeadLetterSerializer;
import dev.winnow.jobs.kafka.ExactlyOnceSinks;
import dev.winnow.jobs.kafka.KafkaClients;
import dev.winnow.jobs.kafka.ReadCommittedSource;
import dev.winnow.jobs.kafka.RejectedSerializer;
import dev.winnow.selection.dedup.ExactDedupKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.OutputTag;

/**
 * The streaming curation job: Kafka {@code raw} → decode → normalize → quality filters → exact
 * dedup → near dedup (MinHash + LSH) → optional scoring (perplexity, IFD, DSIR weight, CCNet
 * bucket; each under {@code meta.winnow}) → optional budgeted selection ({@link
 * BudgetSelectOperator}) → Kafka {@code curated}, with every dropped document on {@code rejected}
 * (rule, measured value, threshold, duplicate-of) and every undecodable record on {@code
 * deadletter} (original bytes, reason in a header).
 *
 * <p>A reference set ({@code reference.topic}, {@code reference.files}; see {@link ReferenceSet})
 * seeds both dedup stages: each of their subtasks loads its share of the reference in {@code
 * open()}, which Flink completes before the subtask processes its first record, so every live
 * document is checked against the whole reference. Reference documents only enter dedup indexes;
 * they are never emitted.
 *
 * <p>Exactly once end to end: the source reads {@code read_committed}; the three sinks are
 * transactional Kafka sinks whose transactions commit when a checkpoint completes, so a document
 * reaches exactly one output topic exactly once even across failures and restarts from a
 * checkpoint. {@code winnow curate} runs it (locally on a MiniCluster; under {@code flink run} on
 * the cluster's environment).
 */
public final class CurationJob {
  public static final OutputTag<RejectedRecord> REJECTED =
      new OutputTag<>("rejected", TypeInformation.of(RejectedRecord.class));
  public static final OutputTag<BandProbe> PROBES =
      new OutputTag<>("lsh-probes", TypeInformation.of(BandProbe.class));
  public static final OutputTag<DeadLetterRecord> DEAD_LETTERS =
      new OutputTag<>("deadletter", TypeInformation.of(DeadLetterRecord.class));

  private CurationJob() {}

  /**
   * Flink settings derived from the config's {@code job} section: restarts, state backend,
   * checkpoint storage.
   */
  public static Configuration flinkConfig(CurationConfig cfg) {
    return cfg.job.flinkConfig();
  }

  /*
   * Why the run summary counts just before the sinks: in a bounded run a source subtask can finish before a failure
   * elsewhere; after the restart its finished operators are not re-run, so counters kept in them would lose what they
   * counted. The counting operators before the sinks read from every upstream subtask (keyed or rebalanced inputs),
   * so they stay running until the whole input is done and their checkpointed counts survive any failover.
   */

  /**
   * Creates the output topics if missing, builds the job on {@code env}, runs it and returns the
   * summary.
   */
  public static CurationSummary run(CurationConfig cfg, StreamExecutionEnvironment env)
      throws Exception {
    // the reference set first: a missing reference file fails before anything is created on the
    // broker
    ReferenceSet reference = cfg.pinReference();
    prepare(cfg, env, reference);
    long t0 = System.nanoTime();
    JobExecutionResult result = env.execute(JOB_NAME);
    double secs = (System.nanoTime() - t0) / 1e9;
    return new CurationSummary(RuleCounters.of(result), secs);
  }

  /**
   * Checks the input, creates the output topics and builds the job on {@code env}, then submits it
   * without waiting: for a cluster's environment ({@code flink run}, a JobManager's REST API),
   * where the program must not block on the job's end.
   */
  public static JobClient submit(CurationConfig cfg, StreamExecutionEnvironment env)
      throws Exception {
    prepare(cfg, env, cfg.pinReference());
    return env.executeAsync(JOB_NAME);
  }

  private static void prepare(
      CurationConfig cfg, StreamExecutionEnvironment env, ReferenceSet reference) {
    if (cfg.dsir.enabled) {
      DsirStage.of(cfg.dsir); // a missing or invalid DSIR model file fails before anything runs
    }
    KafkaClients.requireTopic(cfg.kafka, cfg.topics.input, "topics.input");
    createOutputTopics(cfg);
    build(cfg, env, reference);
  }

  /** The job's name on the cluster. */
  public static final String JOB_NAME = "winnow-curation";

  /** The output topics must exist before transactional sinks write to them. */
  public static void createOutputTopics(CurationConfig cfg) {
    KafkaClients.createTopics(
        cfg.kafka,
        cfg.topics.partitions,
        cfg.topics.replicationFactor,
        List.of(cfg.topics.curated, cfg.topics.rejected, cfg.topics.deadletter));
  }

  /** Builds the job graph on {@code env}, pinning the config's reference set (if any) now. */
  public static void build(CurationConfig cfg, StreamExecutionEnvironment env) {
    build(cfg, env, cfg.pinReference());
  }

  /**
   * Builds the job graph on {@code env} with a reference set pinned on the client (files checked,
   * the reference topic's end offsets fixed for every restart of this job), or null for none.
   */
  public static void build(
      CurationConfig cfg, StreamExecutionEnvironment env, ReferenceSet reference) {
    env.setParallelism(cfg.job.effectiveParallelism());
    // fixed, not derived from the parallelism: the key groups of the dedup state, which a savepoint
    // can be restored into at any parallelism up to this
    env.setMaxParallelism(cfg.job.maxParallelism);
    env.enableCheckpointing(cfg.job.checkpointIntervalMs, CheckpointingMode.EXACTLY_ONCE);

    KafkaSourceBuilder<RawRecord> source =
        ReadCommittedSource.builder(
                cfg.kafka,
                cfg.topics.input,
                cfg.kafka.groupId,
                ReadCommittedSource.committedOr(cfg.job))
            .setProperty("commit.offsets.on.checkpoint", "true");
    if (cfg.job.bounded) {
      source.setBounded(OffsetsInitializer.latest());
    }

    DataStream<RawRecord> raw =
        env.fromSource(
                source.build(), WatermarkStrategy.noWatermarks(), "kafka:" + cfg.topics.input)
            .uid("source")
            .name("read " + cfg.topics.input);

    Outputs out = stages(cfg, raw, null, reference);
    out.curated()
        .sinkTo(sink(cfg, "curated", new CuratedSerializer(cfg.topics.curated)))
        .uid("sink-curated")
        .name("write " + cfg.topics.curated);
    out.rejected()
        .sinkTo(sink(cfg, "rejected", new RejectedSerializer(cfg.topics.rejected)))
        .uid("sink-rejected")
        .name("write " + cfg.topics.rejected);
    out.deadLetters()
        .sinkTo(sink(cfg, "deadletter", new DeadLetterSerializer(cfg.topics.deadletter)))
        .uid("sink-deadletter")
        .name("write " + cfg.topics.deadletter);
  }

  /**
   * The three outputs of the stage chain, each already counted ({@code curated}, {@code rejected}
   * per rule, {@code deadletter}) by the operator just before where it is written.
   */
  public record Outputs(
      DataStream<DocRecord> curated,
      DataStream<RejectedRecord> rejected,
      DataStream<DeadLetterRecord> deadLetters) {}

  /**
   * The stage chain every curation job shares, from raw records to the counted outputs: the
   * optional injected failure, decode, normalize + quality filters, exact and near dedup, the
   * scoring stages, budgeted selection. The Kafka job ({@link #build}) and the file job ({@code
   * curation.files.FileCurationJob}) differ only in their sources and sinks.
   *
   * @param sourceDeadLetters what the source itself could not read (the file job's unreadable
   *     entries), dead-lettered and counted with the rest; null for none
   * @param reference the pinned reference set, or null for none
   */
  public static Outputs stages(
      CurationConfig cfg,
      DataStream<RawRecord> raw,
      DataStream<DeadLetterRecord> sourceDeadLetters,
      ReferenceSet reference) {
    ReferenceText referenceText = cfg.referenceText();
    if (cfg.job.injectFailureAfterRecords > 0) {
      raw =
          raw.map(new InjectedFailure<RawRecord>(cfg.job.injectFailureAfterRecords))
              .returns(RawRecord.class)
              .uid("injected-failure")
              .name("injected failure");
    }
    SingleOutputStreamOperator<DocRecord> decoded =
        raw.process(
                new DecodeFunction(
                    DEAD_LETTERS, cfg.topics.maxRecordBytes, "topics.maxRecordBytes"))
            .uid("decode")
            .name("decode");
    // issue 17's filter stages, each off by default: url and language before the quality filters
    // (as in datatrove), the others after them, before dedup (PII redaction changes the text dedup
    // hashes)
    List<DataStream<RejectedRecord>> stageRejected = new ArrayList<>();
    List<DataStream<DeadLetterRecord>> stageDead = new ArrayList<>();
    DataStream<DocRecord> beforeQuality = decoded;
    for (FilterStages.Stage st : FilterStages.beforeQuality(cfg.language, cfg.url)) {
      beforeQuality = filterStage(beforeQuality, st, stageRejected, stageDead);
    }
    SingleOutputStreamOperator<DocRecord> qualityKept =
        beforeQuality
            .process(
                new QualityFunction(cfg.normalize.enabled, cfg.quality, REJECTED, DEAD_LETTERS))
            .uid("quality")
            .name("normalize + quality filters");
    DataStream<DocRecord> filtered = qualityKept;
    for (FilterStages.Stage st : FilterStages.afterQuality(cfg.words, cfg.decontaminate, cfg.pii)) {
      filtered = filterStage(filtered, st, stageRejected, stageDead);
    }
    DataStream<DocRecord> kept = filtered;
    DataStream<RejectedRecord> dedupRejected = null;
    if (cfg.exactDedup.enabled) {
      SingleOutputStreamOperator<DocRecord> deduped =
          filtered
              .keyBy(d -> ExactDedupKey.of(d.text), TypeInformation.of(String.class))
              .process(
                  new ExactDedupFunction(
                      cfg.exactDedup.ttlSeconds,
                      REJECTED,
                      reference,
                      referenceText,
                      !cfg.nearDedup.enabled))
              .uid("exact-dedup")
              .name("exact dedup");
      kept = deduped;
      dedupRejected = deduped.getSideOutput(REJECTED);
    }

    DataStream<RejectedRecord> rejected = qualityKept.getSideOutput(REJECTED);
    for (DataStream<RejectedRecord> r : stageRejected) {
      rejected = rejected.union(r);
    }
    if (dedupRejected != null) {
      rejected = rejected.union(dedupRejected);
    }
    if (cfg.nearDedup.enabled) {
      SingleOutputStreamOperator<DocRecord> signed =
          kept.process(new NearDupSignatureFunction(cfg.nearDedup, PROBES, reference != null))
              .uid("near-dedup-sign")
              .name("near dedup: MinHash");
      DataStream<BandAnswer> answers =
          signed
              .getSideOutput(PROBES)
              .keyBy(p -> p.bandKey, Types.LONG)
              .process(new BandBucketFunction(cfg.nearDedup, reference, referenceText))
              .uid("near-dedup-buckets")
              .name("near dedup: LSH buckets")
              .keyBy(c -> c.owner, Types.INT)
              .process(
                  new SketchStoreFunction(cfg.nearDedup.threshold, cfg.nearDedup.stateTtlHours))
              .uid("near-dedup-sketches")
              .name("near dedup: sketch store");
      SingleOutputStreamOperator<DocRecord> decided =
          signed
              .connect(answers)
              .keyBy(d -> d.origin, a -> a.docKey, Types.STRING)
              .process(new NearDupDecisionFunction(cfg.nearDedup.threshold, REJECTED))
              .uid("near-dedup-decide")
              .name("near dedup: decide");
      kept = decided;
      rejected = rejected.union(decided.getSideOutput(REJECTED));
    }
    DataStream<DeadLetterRecord> dead =
        decoded.getSideOutput(DEAD_LETTERS).union(qualityKept.getSideOutput(DEAD_LETTERS));
    for (DataStream<DeadLetterRecord> d : stageDead) {
      dead = dead.union(d);
    }
    if (sourceDeadLetters != null) {
      dead = dead.union(sourceDeadLetters);
    }

    if (cfg.score.enabled) {
      kept =
          AsyncDataStream.unorderedWait(
                  kept,
                  new PerplexityScoreFunction(cfg.score),
                  cfg.score.timeoutMs,
                  TimeUnit.MILLISECONDS,
                  cfg.score.maxInFlight)
              .uid("score-perplexity")
              .name("score: proxy-model perplexity");
    }
    // Scoring for selection, each stage adding its object under meta.winnow: IFD -> DSIR -> CCNet.
    if (cfg.ifd.enabled) {
      kept =
          AsyncDataStream.unorderedWait(
                  kept,
                  new InstructionDifficultyFunction(cfg.ifd),
                  cfg.ifd.timeoutMs,
                  TimeUnit.MILLISECONDS,
                  cfg.ifd.maxInFlight)
              .uid("score-ifd")
              .name("score: instruction-following difficulty");
    }
    if (cfg.dsir.enabled) {
      kept =
          kept.transform(
                  "score: DSIR importance weight",
                  TypeInformation.of(DocRecord.class),
                  new WarmUpOperator<>(DsirStage.of(cfg.dsir), cfg.dsir.warmUpDocuments))
              .uid("score-dsir");
    }
    if (cfg.ccnet.enabled) {
      kept =
          kept.transform(
                  "score: CCNet perplexity bucket",
                  TypeInformation.of(DocRecord.class),
                  new WarmUpOperator<>(new CcnetStage(cfg.ccnet), cfg.ccnet.warmUpDocuments))
              .uid("score-ccnet");
    }
    if (cfg.select.enabled) {
      SingleOutputStreamOperator<DocRecord> selected =
          kept.transform(
                  "select: budget",
                  TypeInformation.of(DocRecord.class),
                  new BudgetSelectOperator(cfg.select, cfg.score.model, REJECTED))
              .setParallelism(1)
              .setMaxParallelism(1)
              .uid("select-budget");
      kept = selected;
      rejected = rejected.union(selected.getSideOutput(REJECTED));
    }
    DataStream<DocRecord> curated =
        kept.map(new Count<DocRecord>("curated"))
            .returns(DocRecord.class)
            .uid("count-curated")
            .name("count curated");
    DataStream<RejectedRecord> rejectedCounted =
        rejected
            .map(new RejectedCount())
            .returns(RejectedRecord.class)
            .uid("count-rejected")
            .name("count rejected");
    DataStream<DeadLetterRecord> deadCounted =
        dead.rebalance()
            .map(new Count<DeadLetterRecord>("deadletter"))
            .returns(DeadLetterRecord.class)
            .uid("count-deadletter")
            .name("count dead letters");
    return new Outputs(curated, rejectedCounted, deadCounted);
  }

  /** One {@link FilterStages.Stage} as an operator; its side outputs join the job's outputs. */
  private static DataStream<DocRecord> filterStage(
      DataStream<DocRecord> in,
      FilterStages.Stage st,
      List<DataStream<RejectedRecord>> rejected,
      List<DataStream<DeadLetterRecord>> dead) {
    SingleOutputStreamOperator<DocRecord> out =
        in.process(new FilterStageFunction(st.filter(), REJECTED, DEAD_LETTERS))
            .uid(st.uid())
            .name(st.name());
    rejected.add(out.getSideOutput(REJECTED));
    dead.add(out.getSideOutput(DEAD_LETTERS));
    return out;
  }

  private static <T> KafkaSink<T> sink(
      CurationConfig cfg, String name, KafkaRecordSerializationSchema<T> serializer) {
    return ExactlyOnceSinks.sink(cfg.kafka, cfg.kafka.transactionalIdPrefix, name, serializer);
  }
}
