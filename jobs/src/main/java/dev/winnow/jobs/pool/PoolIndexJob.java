package dev.winnow.jobs.pool;

import dev.winnow.jobs.common.Count;
import dev.winnow.jobs.common.DeadLetterRecord;
import dev.winnow.jobs.common.InjectedFailure;
import dev.winnow.jobs.common.RawRecord;
import dev.winnow.jobs.common.RuleCounters;
import dev.winnow.jobs.kafka.DeadLetterSerializer;
import dev.winnow.jobs.kafka.ExactlyOnceSinks;
import dev.winnow.jobs.kafka.KafkaClients;
import dev.winnow.jobs.kafka.ReadCommittedSource;
import dev.winnow.jobs.models.SharedPerJvm;
import dev.winnow.prompt.pool.DemonstrationPool;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.OutputTag;

/**
 * Indexes a Kafka topic of demonstrations into a pool: Kafka ({@code read_committed}) → parse
 * ({@link ParseDemonstrationFunction}; malformed records to the dead-letter topic with the reason)
 * → key by id → embed in parallel subtasks ({@link EmbedFunction}, batched, one model per
 * TaskManager JVM) → one writer ({@link PoolWriterFunction}) that upserts by id into {@code
 * poolsDir/pool}, deletes on tombstones, and commits the Lucene index on every checkpoint and at
 * the end. Bounded (to the end offsets seen at start, then finish) or unbounded (indexes new
 * demonstrations as they arrive). The pool has the layout of {@code winnow pool build}: it is
 * served by {@code winnow serve --pools poolsDir} and opened by {@link
 * dev.winnow.prompt.pool.PoolRegistry}.
 *
 * <p><b>Effectively exactly once.</b> The pool is not a transactional sink; it converges to the
 * topic's contents because (1) the writer commits Lucene in {@code snapshotState}, i.e. before the
 * checkpoint that holds the source offsets completes, so the committed pool always covers at least
 * every record before those offsets; (2) after a failure the job restarts from the last completed
 * checkpoint and replays the records after its offsets, which were applied zero or more times
 * already (the writer's {@code close} commits what it had, even on failure); (3) a change is a
 * function of the record alone (upsert by id with the record's value, or delete by id), so applying
 * a suffix of an id's changes again, in the same order, ends in the state of its last record; (4)
 * that order holds because a topic keeps one key's records in one partition in order, the source
 * reads a partition in order, the stream is keyed by id into the embedding stage, the async stage
 * is ordered, and the writer has one input channel per embedding subtask. The dead-letter topic is
 * a transactional exactly-once Kafka sink. What this does not give: records of one id spread over
 * several partitions (unkeyed, or keyed by something else) have no order between them, so the last
 * one to arrive wins; and readers of the pool directory may see a commit that runs ahead of the
 * last checkpoint.
 *
 * <pre>{@code
 * PoolIndexConfig cfg = new PoolIndexConfig();
 * cfg.kafka.bootstrap = "localhost:9092"; cfg.topic = "demos"; cfg.poolsDir = "pools"; cfg.pool = "qa";
 * cfg.job.bounded = true;
 * PoolIndexSummary s = PoolIndexJob.run(cfg, StreamExecutionEnvironment.getExecutionEnvironment(PoolIndexJob.flinkConfig(cfg)));
 * }</pre>
 */
public final class PoolIndexJob {
  public static final OutputTag<DeadLetterRecord> DEAD_LETTERS =
      new OutputTag<>("deadletter", TypeInformation.of(DeadLetterRecord.class));

  private PoolIndexJob() {}

  /**
   * Flink settings of the config's {@code job} section (restarts, state backend, checkpoint
   * storage).
   */
  public static org.apache.flink.configuration.Configuration flinkConfig(PoolIndexConfig cfg) {
    return cfg.job.flinkConfig();
  }

  /**
   * Opens (or creates) the pool on the client first, so that a pool built with another model fails
   * before anything runs and the job embeds with the pool's own {@code embed_tokens}; creates the
   * dead-letter topic; runs the job and, when it ends (bounded), returns the summary.
   */
  public static PoolIndexSummary run(PoolIndexConfig cfg, StreamExecutionEnvironment env)
      throws Exception {
    int embedTokens = prepare(cfg, env);
    long t0 = System.nanoTime();
    JobExecutionResult result = env.execute(jobName(cfg));
    double secs = (System.nanoTime() - t0) / 1e9;
    int size;
    try (SharedPerJvm.Lease<SharedEmbedder> shared =
            SharedEmbedder.acquire(cfg.embedding, embedTokens);
        DemonstrationPool pool =
            DemonstrationPool.open(cfg.poolDirectory(), shared.get().embedder)) {
      size = pool.size();
    }
    return new PoolIndexSummary(cfg.pool, RuleCounters.of(result), size, secs);
  }

  /** The job's name on the cluster. */
  public static String jobName(PoolIndexConfig cfg) {
    return "winnow-pool-index-" + cfg.pool;
  }

  /**
   * The same checks, pool and topic as {@link #run}, the job submitted without waiting: for a
   * cluster's environment ({@code flink run}, a JobManager's REST API).
   */
  public static JobClient submit(PoolIndexConfig cfg, StreamExecutionEnvironment env)
      throws Exception {
    prepare(cfg, env);
    return env.executeAsync(jobName(cfg));
  }

  private static int prepare(PoolIndexConfig cfg, StreamExecutionEnvironment env) throws Exception {
    cfg.validate();
    KafkaClients.requireTopic(cfg.kafka, cfg.topic, "--topic");
    int embedTokens = poolEmbedTokens(cfg);
    KafkaClients.createTopics(cfg.kafka, 1, (short) -1, List.of(cfg.deadletterTopic()));
    build(cfg, env, embedTokens);
    return embedTokens;
  }

  /**
   * The {@code embed_tokens} of the pool (created with the config's when new), checking it was
   * built by this model.
   */
  static int poolEmbedTokens(PoolIndexConfig cfg) throws Exception {
    try (SharedPerJvm.Lease<SharedEmbedder> shared =
            SharedEmbedder.acquire(cfg.embedding, cfg.embedding.embedTokens);
        DemonstrationPool pool =
            DemonstrationPool.open(cfg.poolDirectory(), shared.get().embedder)) {
      return pool.settings().embedTokens();
    }
  }

  /**
   * Builds the job graph on {@code env}, opening (or creating) the pool on the client for its
   * {@code embed_tokens}.
   */
  public static void build(PoolIndexConfig cfg, StreamExecutionEnvironment env) throws Exception {
    build(cfg.validate(), env, poolEmbedTokens(cfg));
  }

  /** Builds the job graph on {@code env}; {@code embedTokens} is the pool's. */
  public static void build(PoolIndexConfig cfg, StreamExecutionEnvironment env, int embedTokens) {
    env.setParallelism(cfg.job.effectiveParallelism());
    env.enableCheckpointing(cfg.job.checkpointIntervalMs, CheckpointingMode.EXACTLY_ONCE);

    KafkaSourceBuilder<RawRecord> source =
        ReadCommittedSource.builder(
                cfg.kafka,
                cfg.topic,
                cfg.groupId(),
                cfg.fromBeginning
                    ? OffsetsInitializer.earliest()
                    : ReadCommittedSource.committedOr(cfg.job))
            .setProperty("commit.offsets.on.checkpoint", "true");
    if (cfg.job.bounded) {
      source.setBounded(OffsetsInitializer.latest());
    }
    DataStream<RawRecord> raw =
        env.fromSource(source.build(), WatermarkStrategy.noWatermarks(), "kafka:" + cfg.topic)
            .uid("source")
            .name("read " + cfg.topic);
    if (cfg.job.injectFailureAfterRecords > 0) {
      raw =
          raw.map(new InjectedFailure<RawRecord>(cfg.job.injectFailureAfterRecords))
              .returns(RawRecord.class)
              .uid("injected-failure")
              .name("injected failure");
    }
    SingleOutputStreamOperator<PoolChange> parsed =
        raw.process(new ParseDemonstrationFunction(DEAD_LETTERS))
            .uid("parse")
            .name("parse demonstrations");
    DataStream<PoolChange> embedded =
        AsyncDataStream.orderedWait(
                parsed.keyBy(c -> c.id, Types.STRING),
                new EmbedFunction(cfg.embedding, embedTokens),
                cfg.embedding.timeoutMs,
                TimeUnit.MILLISECONDS,
                cfg.embedding.maxInFlight)
            .uid("embed")
            .name("embed inputs (" + cfg.embedding.model + ")");
    embedded
        .process(new PoolWriterFunction(cfg, embedTokens))
        .returns(Types.VOID)
        .setParallelism(1)
        .setMaxParallelism(1)
        .uid("pool-writer")
        .name("write pool " + cfg.pool)
        .sinkTo(new DiscardingSink<>())
        .setParallelism(1)
        .uid("pool-writer-end")
        .name("end");
    parsed
        .getSideOutput(DEAD_LETTERS)
        .rebalance()
        .map(new Count<DeadLetterRecord>("deadletter"))
        .returns(DeadLetterRecord.class)
        .uid("count-deadletter")
        .name("count dead letters")
        .sinkTo(
            ExactlyOnceSinks.sink(
                cfg.kafka,
                cfg.transactionalIdPrefix(),
                "deadletter",
                new DeadLetterSerializer(cfg.deadletterTopic())))
        .uid("sink-deadletter")
        .name("write " + cfg.deadletterTopic());
  }
}
