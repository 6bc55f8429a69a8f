package dev.winnow.jobs.curriculum;

import dev.winnow.ingest.io.DocumentReader;
import dev.winnow.jobs.common.Count;
import dev.winnow.jobs.common.DeadLetterRecord;
import dev.winnow.jobs.common.DecodeFunction;
import dev.winnow.jobs.common.DocRecord;
import dev.winnow.jobs.common.InjectedFailure;
import dev.winnow.jobs.common.PerplexityScoreFunction;
import dev.winnow.jobs.common.RawRecord;
import dev.winnow.jobs.kafka.DeadLetterSerializer;
import dev.winnow.jobs.kafka.ExactlyOnceSinks;
import dev.winnow.jobs.kafka.KafkaClients;
import dev.winnow.jobs.kafka.ReadCommittedSource;
import dev.winnow.selection.curriculum.DifficultyMeasure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.operators.Order;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.OutputTag;

/**
 * The curriculum job (bounded, Flink {@link RuntimeExecutionMode#BATCH}): orders a selected set by
 * difficulty, cuts it into competence stages (Platanios et al. 2019, {@code CurriculumPlanner}) and
 * writes the documents in rank order, each with {@code meta.curriculum = {stage, rank, difficulty,
 * measure}}, to a topic and/or to JSONL shards.
 *
 * <pre>
 * topic (read_committed, earliest → end offsets at start) ─▶ decode ─┐              ┌─▶ deadletter topic / reject file
 *   or JSONL files (one file per task, DocumentReader) ──────────────┴─ bad records ┘
 *   ─▶ measure (meta perplexity, length, gzip ratio) ─┬──────────────────────────────┐
 *                                 no perplexity ──────┴▶ proxy model (async I/O) ─────┴▶ count per subtask
 *   ─▶ sort by (counts first, difficulty, id, origin), parallelism 1 ─▶ rank + stage ─▶ shards + manifest, topic
 * </pre>
 *
 * <p><b>Why the input is not held in memory.</b> The global order comes from Flink's batch sort
 * ({@code fullWindowPartition().sortPartition}), which sorts in managed memory and spills sorted
 * runs to disk (the runtime's external merge sort); batch exchanges between the stages are blocking
 * and spill to disk too. A document's stage depends only on its rank {@code r} and the total {@code
 * N} ({@code CurriculumPlanner.stageEnds}): the counting pass emits one count per subtask, which
 * sorts before every document, so the single ordered pass sums the counts, then places the
 * documents as they stream past, holding one at a time. The ordered pass runs with parallelism 1 —
 * a total order is one sequence — and is I/O bound (serialize, write).
 *
 * <p><b>Ordering and delivery.</b> The output topic receives everything on partition 0 (created
 * with one partition if missing), in rank order, through a transactional sink committed when the
 * job finishes: a read_committed consumer sees the whole curriculum or nothing. The writing must
 * finish within {@code transactionTimeoutMs} (at most 15 min on a default broker). Shards are
 * written by the ordered pass itself and rewritten from the start if it is restarted. Undecodable
 * input goes to the dead-letter topic (original bytes, reason in {@code winnow.error}) and/or a
 * reject file, never dropped.
 */
public final class CurriculumJob {
  public static final OutputTag<DeadLetterRecord> DEAD_LETTERS =
      new OutputTag<>("deadletter", TypeInformation.of(DeadLetterRecord.class));
  public static final OutputTag<DocRecord> UNSCORED =
      new OutputTag<>("unscored", TypeInformation.of(DocRecord.class));

  private CurriculumJob() {}

  /** Flink settings: batch execution, a few restarts. */
  public static Configuration flinkConfig() {
    Configuration conf = new Configuration();
    conf.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.BATCH);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 2);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(1));
    return conf;
  }

  /**
   * Validates, creates missing output topics, builds the job on {@code env}, runs it and returns
   * the summary.
   */
  public static CurriculumSummary run(CurriculumJobConfig cfg, StreamExecutionEnvironment env)
      throws Exception {
    prepare(cfg, env);
    long t0 = System.nanoTime();
    JobExecutionResult result = env.execute(JOB_NAME);
    double secs = (System.nanoTime() - t0) / 1e9;
    return new CurriculumSummary(
        counter(result, StageAssigner.DOCUMENTS), counter(result, "winnow.deadletter"), secs);
  }

  /** The job's name on the cluster. */
  public static final String JOB_NAME = "winnow-curriculum";

  /**
   * The same checks, topics and job graph as {@link #run}, submitted without waiting: for a
   * cluster's environment ({@code flink run}, a JobManager's REST API).
   */
  public static JobClient submit(CurriculumJobConfig cfg, StreamExecutionEnvironment env)
      throws Exception {
    prepare(cfg, env);
    return env.executeAsync(JOB_NAME);
  }

  private static void prepare(CurriculumJobConfig cfg, StreamExecutionEnvironment env)
      throws Exception {
    cfg.validate();
    if (cfg.inputTopic != null) {
      KafkaClients.requireTopic(cfg.kafka, cfg.inputTopic, "--input-topic");
    }
    List<String> topics = new ArrayList<>();
    if (cfg.outputTopic != null) {
      topics.add(cfg.outputTopic);
    }
    if (cfg.deadletterTopic != null) {
      topics.add(cfg.deadletterTopic);
    }
    if (!topics.isEmpty()) {
      KafkaClients.createTopics(cfg.kafka, 1, (short) -1, topics);
    }
    build(cfg, env);
  }

  /** Builds the job graph on {@code env} (switched to batch execution). */
  public static void build(CurriculumJobConfig cfg, StreamExecutionEnvironment env)
      throws IOException {
    cfg.validate();
    env.setRuntimeMode(RuntimeExecutionMode.BATCH);
    int parallelism =
        cfg.parallelism > 0 ? cfg.parallelism : Runtime.getRuntime().availableProcessors();
    env.setParallelism(parallelism);

    SingleOutputStreamOperator<DocRecord> docs =
        cfg.inputTopic != null ? readTopic(cfg, env) : readFiles(cfg, env);
    DataStream<DeadLetterRecord> dead = docs.getSideOutput(DEAD_LETTERS);

    SingleOutputStreamOperator<CurriculumEntry> measured =
        docs.process(new MeasureFunction(cfg.curriculum.measure, cfg.perplexityField, UNSCORED))
            .uid("measure")
            .name("measure: " + cfg.measureName());
    DataStream<CurriculumEntry> entries = measured;
    if (cfg.curriculum.measure == DifficultyMeasure.PERPLEXITY) {
      DataStream<CurriculumEntry> scored =
          AsyncDataStream.unorderedWait(
                  measured.getSideOutput(UNSCORED),
                  new PerplexityScoreFunction(cfg.score),
                  cfg.score.timeoutMs,
                  TimeUnit.MILLISECONDS,
                  cfg.score.maxInFlight)
              .uid("score-perplexity")
              .name("score: proxy-model perplexity")
              .map(new ModelPerplexity())
              .uid("model-perplexity")
              .name("difficulty: model perplexity");
      entries = entries.union(scored);
    }
    SingleOutputStreamOperator<CurriculumEntry> counted =
        entries
            .transform(
                "count per subtask", TypeInformation.of(CurriculumEntry.class), new CountingPass())
            .uid("count")
            .name("count per subtask");
    SingleOutputStreamOperator<CurriculumEntry> sorted =
        counted
            .fullWindowPartition()
            .sortPartition(new RankOrder(), Order.ASCENDING)
            .uid("sort")
            .name("sort by difficulty (external)");
    sorted.setParallelism(1);
    boolean toTopic = cfg.outputTopic != null;
    SingleOutputStreamOperator<StagedDocument> staged =
        sorted
            .transform(
                "rank + stage",
                TypeInformation.of(StagedDocument.class),
                new StageAssigner(
                    cfg.curriculum, cfg.measureName(), cfg.outputDir, cfg.shardSize, toTopic))
            .uid("stage")
            .name("rank + stage" + (cfg.outputDir != null ? " + shards" : ""));
    staged.setParallelism(1);
    if (cfg.injectFailureAfterRecords > 0) {
      staged =
          staged
              .map(new InjectedFailure<StagedDocument>(cfg.injectFailureAfterRecords))
              .returns(StagedDocument.class)
              .uid("injected-failure")
              .name("injected failure");
      staged.setParallelism(1);
    }
    if (toTopic) {
      staged
          .sinkTo(sink(cfg, "out", new CurriculumSerializer(cfg.outputTopic)))
          .setParallelism(1)
          .uid("sink-curriculum")
          .name("write " + cfg.outputTopic);
    } else {
      staged.sinkTo(new DiscardingSink<>()).setParallelism(1).uid("sink-none").name("no topic");
    }

    SingleOutputStreamOperator<DeadLetterRecord> deadCounted =
        dead.map(new Count<DeadLetterRecord>("deadletter"))
            .returns(DeadLetterRecord.class)
            .uid("count-deadletter")
            .name("count dead letters");
    deadCounted.setParallelism(1);
    if (cfg.deadletterTopic != null) {
      deadCounted
          .sinkTo(sink(cfg, "deadletter", new DeadLetterSerializer(cfg.deadletterTopic)))
          .setParallelism(1)
          .uid("sink-deadletter")
          .name("write " + cfg.deadletterTopic);
    }
    String rejects = cfg.rejectFileOrDefault();
    if (rejects != null) {
      SingleOutputStreamOperator<Long> written =
          deadCounted
              .transform("write " + rejects, Types.LONG, new RejectFileWriter(rejects))
              .uid("reject-file")
              .name("write " + rejects);
      written.setParallelism(1);
      written
          .sinkTo(new DiscardingSink<>())
          .setParallelism(1)
          .uid("sink-reject-file")
          .name("reject file done");
    }
  }

  private static SingleOutputStreamOperator<DocRecord> readTopic(
      CurriculumJobConfig cfg, StreamExecutionEnvironment env) {
    KafkaSource<RawRecord> source =
        ReadCommittedSource.builder(
                cfg.kafka, cfg.inputTopic, cfg.kafka.groupId, OffsetsInitializer.earliest())
            .setBounded(OffsetsInitializer.latest())
            .setProperty("commit.offsets.on.checkpoint", "false")
            .build();
    return env.fromSource(source, WatermarkStrategy.noWatermarks(), "kafka:" + cfg.inputTopic)
        .uid("source")
        .name("read " + cfg.inputTopic)
        .process(new DecodeFunction(DEAD_LETTERS))
        .uid("decode")
        .name("decode");
  }

  private static SingleOutputStreamOperator<DocRecord> readFiles(
      CurriculumJobConfig cfg, StreamExecutionEnvironment env) throws IOException {
    List<Path> in = new ArrayList<>();
    for (String f : cfg.inputFiles) {
      Path p = Path.of(f);
      if (!Files.exists(p)) {
        throw new IllegalArgumentException("input " + f + " does not exist");
      }
      in.add(p);
    }
    List<String> files =
        DocumentReader.expand(in).stream().map(p -> p.toAbsolutePath().toString()).toList();
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no input files under " + cfg.inputFiles);
    }
    return env.fromData(files)
        .name("input files")
        .rebalance()
        .process(new ReadJsonlFiles(DEAD_LETTERS))
        .uid("read-files")
        .name("read JSONL files");
  }

  private static <T> KafkaSink<T> sink(
      CurriculumJobConfig cfg, String name, KafkaRecordSerializationSchema<T> serializer) {
    return ExactlyOnceSinks.sink(cfg.kafka, cfg.kafka.transactionalIdPrefix, name, serializer);
  }

  private static long counter(JobExecutionResult result, String name) {
    Object v = result.getAllAccumulatorResults().get(name);
    return v instanceof Number n ? n.longValue() : 0;
  }
}
