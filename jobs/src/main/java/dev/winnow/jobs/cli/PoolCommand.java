package dev.winnow.jobs.cli;

import dev.winnow.jobs.common.JsonlWriter;
import dev.winnow.jobs.models.BundledModels;
import dev.winnow.jobs.pool.PoolIndexConfig;
import dev.winnow.jobs.pool.PoolIndexJob;
import dev.winnow.jobs.pool.PoolIndexSummary;
import dev.winnow.prompt.model.ProxyLm;
import dev.winnow.prompt.pool.Demonstration;
import dev.winnow.prompt.pool.DemonstrationEmbedder;
import dev.winnow.prompt.pool.DemonstrationJson;
import dev.winnow.prompt.pool.DemonstrationPool;
import dev.winnow.prompt.pool.DemonstrationSelector;
import dev.winnow.prompt.pool.SelectedDemonstration;
import dev.winnow.prompt.pool.SelectionRequest;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code winnow pool build|select|delete}: demonstration pools on disk, without the server; {@code
 * winnow pool index}: the Flink job that indexes a Kafka topic into a pool ({@link PoolIndexJob}).
 */
@Command(
    name = "pool",
    mixinStandardHelpOptions = true,
    description =
        "Demonstration pools: Lucene indexes of {id, input, output, meta} with BM25 and HNSW vectors.",
    subcommands = {
      PoolCommand.Build.class,
      PoolCommand.Index.class,
      PoolCommand.Select.class,
      PoolCommand.Delete.class
    })
public final class PoolCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Options every pool subcommand shares. */
  static final class PoolOptions {
    @Option(
        names = "--pool",
        required = true,
        description =
            "Pool directory (created if missing; `winnow serve --pools ROOT` serves ROOT/NAME as pool NAME).")
    Path pool;

    @Option(
        names = "--model",
        defaultValue = BundledModels.PROXY_MINI,
        description =
            "Embedding model directory, or the bundled proxy-mini (default: ${DEFAULT-VALUE}); must be the one that built the pool.")
    String model;

    @Option(
        names = "--threads",
        description = "CPU threads for the forward pass (default: number of cores).")
    Integer threads;

    @Option(
        names = "--embed-tokens",
        defaultValue = "" + DemonstrationEmbedder.DEFAULT_EMBED_TOKENS,
        description =
            "A new pool embeds the first N model tokens of each input (default: ${DEFAULT-VALUE}); an existing pool keeps its own.")
    int embedTokens;

    @Option(
        names = "--precision",
        defaultValue = "fp32",
        description =
            "Arithmetic of the embedding model's products: fp32 (default: a pool's vectors then"
                + " mean the same on every machine, with or without bf16 hardware), bf16 or auto.")
    String precision;

    ProxyLm load() throws Exception {
      return ProxyLm.loadCpu(
          BundledModels.resolve(model),
          threads != null ? threads : Runtime.getRuntime().availableProcessors(),
          dev.winnow.kernels.engine.EngineOptions.Precision.parse(precision));
    }
  }

  @Command(
      name = "build",
      mixinStandardHelpOptions = true,
      description =
          "Add demonstrations from JSON-lines files ({\"id\", \"input\", \"output\", \"meta\"}; id optional) to a pool, "
              + "replacing those with the same id. Malformed lines are counted and written to the reject file.")
  static final class Build implements Callable<Integer> {
    @Mixin PoolOptions options;

    @Option(
        names = "--input",
        required = true,
        arity = "1..*",
        description = "JSONL or JSONL.gz files.")
    List<Path> inputs;

    @Option(
        names = "--batch",
        defaultValue = "512",
        description = "Demonstrations per commit (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(
        names = "--merge",
        description =
            "Merge the index into one segment at the end (one HNSW graph: fastest search).")
    boolean merge;

    @Option(
        names = "--reject-file",
        description = "Where malformed lines go (default: pool.rejects.jsonl).")
    Path rejectFile;

    @Override
    public Integer call() throws Exception {
      if (batch < 1) {
        throw new IllegalArgumentException("illegal --batch " + batch + ": must be at least 1");
      }
      long t0 = System.nanoTime();
      long[] counts = new long[2];
      Path rejects = rejectFile != null ? rejectFile : Path.of("pool.rejects.jsonl");
      try (ProxyLm lm = options.load();
          DemonstrationPool pool =
              DemonstrationPool.open(
                  options.pool, new DemonstrationEmbedder(lm, options.embedTokens));
          JsonlWriter rej = JsonlWriter.rejects(rejects)) {
        List<Demonstration> pending = new ArrayList<>();
        for (Path input : inputs) {
          DemonstrationJson.readLines(
              input,
              line -> {
                if (line.error() != null) {
                  counts[1]++;
                  rej.reject(input + ":" + line.number(), line.error());
                  return;
                }
                pending.add(line.demonstration());
                if (pending.size() >= batch) {
                  pool.upsert(pending);
                  counts[0] += pending.size();
                  pending.clear();
                }
              });
        }
        pool.upsert(pending);
        counts[0] += pending.size();
        if (merge) {
          pool.forceMerge();
        }
        System.err.printf(
            Locale.ROOT,
            "pool %s: %d demonstrations added or replaced, %d malformed lines (%s), "
                + "%d in the pool, %d segment(s), %.1f s%n",
            options.pool,
            counts[0],
            counts[1],
            counts[1] == 0 ? "none" : "see " + rejects,
            pool.size(),
            pool.segments(),
            (System.nanoTime() - t0) / 1e9);
      }
      if (counts[1] == 0) {
        Files.deleteIfExists(rejects);
      }
      return 0;
    }
  }

  @Command(
      name = "index",
      mixinStandardHelpOptions = true,
      description = {
        "Index a Kafka topic of demonstrations (one JSON object {\"id\", \"input\", \"output\", \"meta\"} a record, "
            + "keyed by id) into the pool POOLS_DIR/NAME with a Flink job: upsert by id, a tombstone (null value) deletes its key, "
            + "malformed records go to the dead-letter topic with the reason. Commits the pool on every checkpoint; after a "
            + "failure the replayed records are re-applied idempotently. Runs on a local Flink MiniCluster (or a cluster: "
            + "--jobmanager HOST:PORT, as for curate; POOLS_DIR must be storage its TaskManagers share); without --bounded "
            + "it runs until stopped. `winnow serve --pools POOLS_DIR` serves the pool."
      })
  static final class Index implements Callable<Integer> {
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    // required, checked in call(): the program on a cluster gets the resolved --config-json instead
    @Option(names = "--topic", description = "Topic of demonstrations (required).")
    String topic;

    @Option(names = "--pool", description = "Pool name (letters, digits, '_', '.', '-'; required).")
    String pool;

    @Option(
        names = "--pools-dir",
        description = "Root directory of the pools; the pool is POOLS_DIR/NAME (required).")
    Path poolsDir;

    @Option(
        names = "--bootstrap",
        defaultValue = "localhost:9092",
        description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
    String bootstrap;

    @Mixin KafkaPropertiesOption kafkaProperties;

    @Option(
        names = "--bounded",
        description = "Stop at the end of the topic as it is at start (a batch run).")
    boolean bounded;

    @Option(
        names = "--from-beginning",
        description =
            "Read the whole topic again instead of continuing from the group's committed offsets.")
    boolean fromBeginning;

    @Option(
        names = "--deadletter-topic",
        description = "Where malformed records go (default: TOPIC.deadletter).")
    String deadletterTopic;

    @Option(names = "--group-id", description = "Consumer group (default: winnow-pool-index.NAME).")
    String groupId;

    @Option(
        names = "--model",
        defaultValue = BundledModels.PROXY_MINI,
        description =
            "Embedding model directory, or the bundled proxy-mini (default: ${DEFAULT-VALUE}); must be the one that built the pool.")
    String model;

    @Option(
        names = "--embed-tokens",
        defaultValue = "" + DemonstrationEmbedder.DEFAULT_EMBED_TOKENS,
        description =
            "A new pool embeds the first N model tokens of each input (default: ${DEFAULT-VALUE}); an existing pool keeps its own.")
    int embedTokens;

    @Option(
        names = "--threads",
        description = "CPU threads of the model per TaskManager (default: number of cores).")
    Integer threads;

    @Option(
        names = "--parallelism",
        description =
            "Flink parallelism of source, parsing and embedding (default: number of cores); the writer is 1.")
    Integer parallelism;

    @Option(
        names = "--checkpoint-interval-ms",
        defaultValue = "5000",
        description = "Checkpoint (and pool commit) interval (default: ${DEFAULT-VALUE}).")
    long checkpointIntervalMs;

    @Mixin ClusterOptions cluster;

    @Option(
        names = "--config-json",
        hidden = true,
        description = "The resolved configuration (used by --jobmanager).")
    String configJson;

    @Override
    public Integer call() throws Exception {
      PoolIndexConfig cfg =
          configJson != null
              ? ClusterSubmission.fromJson(configJson, PoolIndexConfig.class)
              : fromOptions();
      cfg.validate();
      if (cluster.remote()) {
        return cluster.submit(
            List.of("pool", "index", "--config-json", ClusterSubmission.toJson(cfg)), null);
      }
      StreamExecutionEnvironment env =
          StreamExecutionEnvironment.getExecutionEnvironment(PoolIndexJob.flinkConfig(cfg));
      if (!(env instanceof LocalStreamEnvironment)) {
        // under `flink run` or a JobManager's REST API: submit to that cluster, do not wait
        JobClient job = PoolIndexJob.submit(cfg, env);
        System.out.println("submitted " + PoolIndexJob.jobName(cfg) + " as job " + job.getJobID());
        return 0;
      }
      PoolIndexSummary s = PoolIndexJob.run(cfg, env);
      System.out.println(s.table());
      return 0;
    }

    /** The job's configuration from the options; the pools directory absolute (see curriculum). */
    private PoolIndexConfig fromOptions() throws Exception {
      List<String> missing = new ArrayList<>();
      if (topic == null) {
        missing.add("--topic");
      }
      if (pool == null) {
        missing.add("--pool");
      }
      if (poolsDir == null) {
        missing.add("--pools-dir");
      }
      if (!missing.isEmpty()) {
        throw new picocli.CommandLine.ParameterException(
            spec.commandLine(), "Missing required option(s): " + String.join(", ", missing));
      }
      PoolIndexConfig cfg = new PoolIndexConfig();
      cfg.topic = topic;
      cfg.pool = pool;
      cfg.poolsDir = poolsDir.toAbsolutePath().toString();
      cfg.kafka.bootstrap = bootstrap;
      kafkaProperties.applyTo(cfg.kafka);
      cfg.kafka.groupId = groupId;
      cfg.deadletterTopic = deadletterTopic;
      cfg.fromBeginning = fromBeginning;
      cfg.job.bounded = bounded;
      cfg.job.checkpointIntervalMs = checkpointIntervalMs;
      if (parallelism != null) {
        cfg.job.parallelism = parallelism;
      }
      cfg.embedding.model = model;
      cfg.embedding.embedTokens = embedTokens;
      if (threads != null) {
        cfg.embedding.threads = threads;
      }
      return cfg;
    }
  }

  @Command(
      name = "select",
      mixinStandardHelpOptions = true,
      description =
          "Print the demonstrations a query selects, as JSON lines ({\"id\", \"input\", \"output\", \"meta\", \"score\", \"tokens\"}).")
  static final class Select implements Callable<Integer> {
    @Mixin PoolOptions options;

    @Option(
        names = "--query",
        required = true,
        description = "The input to find demonstrations for.")
    String query;

    @Option(
        names = "--k",
        defaultValue = "8",
        description = "Most demonstrations (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(
        names = "--method",
        defaultValue = "knn",
        description = "knn, bm25 or hybrid (default: ${DEFAULT-VALUE}).")
    String method;

    @Option(
        names = "--lambda",
        description = "MMR trade-off in [0, 1] (1: relevance only); default: no MMR.")
    Double lambda;

    @Option(
        names = "--token-budget",
        description = "Most cl100k tokens the demonstrations may take together.")
    Integer tokenBudget;

    @Option(
        names = "--order",
        defaultValue = "most_similar_last",
        description = "most_similar_last or most_similar_first (default: ${DEFAULT-VALUE}).")
    String order;

    @Override
    public Integer call() throws Exception {
      SelectionRequest r =
          SelectionRequest.of(query, k, dev.winnow.prompt.pool.SelectionMethod.KNN);
      r.method = method;
      r.lambda = lambda;
      r.tokenBudget = tokenBudget;
      r.order = order;
      r.validate();
      requireExisting(options.pool);
      try (ProxyLm lm = options.load();
          DemonstrationPool pool =
              DemonstrationPool.open(
                  options.pool, new DemonstrationEmbedder(lm, options.embedTokens))) {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        for (SelectedDemonstration d : DemonstrationSelector.select(pool, r)) {
          out.println(DemonstrationJson.MAPPER.writeValueAsString(d));
        }
      }
      return 0;
    }
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Delete demonstrations by id.")
  static final class Delete implements Callable<Integer> {
    @Mixin PoolOptions options;

    @Option(names = "--id", required = true, arity = "1..*", description = "Ids to delete.")
    List<String> ids;

    @Override
    public Integer call() throws Exception {
      requireExisting(options.pool);
      try (ProxyLm lm = options.load();
          DemonstrationPool pool =
              DemonstrationPool.open(
                  options.pool, new DemonstrationEmbedder(lm, options.embedTokens))) {
        int deleted = 0;
        for (String id : ids) {
          deleted += pool.delete(id) ? 1 : 0;
        }
        System.err.printf(
            Locale.ROOT,
            "pool %s: %d of %d ids deleted, %d left%n",
            options.pool,
            deleted,
            ids.size(),
            pool.size());
        return deleted == ids.size() ? 0 : 1;
      }
    }
  }

  static void requireExisting(Path pool) {
    if (!Files.exists(pool.resolve("pool.json"))) {
      throw new IllegalArgumentException(
          "--pool " + pool + ": no pool there (no pool.json); build one with `winnow pool build`");
    }
  }
}
