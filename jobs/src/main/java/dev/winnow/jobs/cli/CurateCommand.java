package dev.winnow.jobs.cli;

import dev.winnow.ingest.io.ReadOptions;
import dev.winnow.jobs.curation.CurationConfig;
import dev.winnow.jobs.curation.CurationJob;
import dev.winnow.jobs.curation.CurationSummary;
import dev.winnow.jobs.curation.files.FileCurationJob;
import dev.winnow.jobs.curation.files.FileCurationSummary;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "curate",
    mixinStandardHelpOptions = true,
    description = {
      "Run the curation job against a Kafka cluster: read the input topic, write curated, rejected and "
          + "deadletter topics exactly once. Runs on a local Flink MiniCluster; the same jar runs on a Flink cluster "
          + "with `flink run -c dev.winnow.jobs.cli.WinnowCli winnow-jobs-all.jar curate --config FILE`.",
      "With --input and --output, the same job on files without Kafka (Flink batch mode): JSONL, WARC, WET, "
          + "Parquet and text files in; DIR/curated/, DIR/rejected/, DIR/deadletter/ (gzip JSONL part files) and "
          + "DIR/manifest.json out; prints the accounting and exits 1 if in != kept + rejected + dead-lettered."
    })
public final class CurateCommand implements Callable<Integer> {
  @Option(
      names = "--bootstrap",
      description = "Kafka bootstrap servers (overrides kafka.bootstrap of the config).")
  String bootstrap;

  @Option(
      names = "--config",
      description = "Pipeline config file (YAML or JSON); defaults apply to everything it omits.")
  Path config;

  @Option(
      names = "--bounded",
      description = "Stop at the end of the input topic as it is at start (a batch run).")
  boolean bounded;

  @Option(names = "--parallelism", description = "Flink parallelism (overrides job.parallelism).")
  Integer parallelism;

  @Option(
      names = "--reference-topic",
      description =
          "Topic of already-kept documents (e.g. the curated topic of an "
              + "earlier run) to dedup against; read up to its end at start, never written out (overrides reference.topic).")
  String referenceTopic;

  @Option(
      names = "--reference",
      arity = "1..*",
      description =
          "Already-kept documents (JSONL, JSONL.gz or directories) "
              + "to dedup against, as in `winnow dedup --reference`; never written out (added to reference.files).")
  List<Path> references = List.of();

  @Option(
      names = "--input",
      arity = "1..*",
      description =
          "File mode: input files or directories (.jsonl[.gz], .warc[.gz], .warc.wet.gz, .parquet, other"
              + " files as plain text); needs --output, no Kafka.")
  List<Path> inputs = List.of();

  @Option(
      names = "--output",
      description =
          "File mode: the output directory (curated/, rejected/, deadletter/, manifest.json).")
  Path output;

  @Option(
      names = "--overwrite",
      description = "File mode: replace an earlier run in --output instead of refusing.")
  boolean overwrite;

  @Option(
      names = "--text-column",
      defaultValue = "text",
      description = "File mode: the Parquet column holding the text (default: ${DEFAULT-VALUE}).")
  String textColumn;

  @Mixin KafkaPropertiesOption kafkaProperties;

  @Option(
      names = "--progress",
      negatable = true,
      description =
          "Live progress on stderr from the job's metrics: documents in, kept, rejected,"
              + " dead-lettered, docs/s, the last checkpoint (default: when stderr is a terminal).")
  Boolean progress;

  @Mixin ClusterOptions cluster;

  @Option(
      names = "--from-savepoint",
      paramLabel = "PATH",
      description =
          "Restore the job's state (dedup indexes, offsets, counters) from this savepoint or"
              + " retained checkpoint, e.g. one `flink stop` wrote; the parallelism may differ from"
              + " the run that wrote it (up to job.maxParallelism).")
  String fromSavepoint;

  @Option(
      names = "--config-json",
      hidden = true,
      description = "The resolved config (used by --jobmanager).")
  String configJson;

  @Override
  public Integer call() throws Exception {
    CurationConfig cfg =
        configJson != null
            ? CurationConfig.fromJson(configJson)
            : config == null ? new CurationConfig() : CurationConfig.load(config);
    if (!inputs.isEmpty() || output != null) {
      return curateFiles(cfg);
    }
    if (bootstrap != null) {
      cfg.kafka.bootstrap = bootstrap;
    }
    kafkaProperties.applyTo(cfg.kafka);
    if (bounded) {
      cfg.job.bounded = true;
    }
    if (parallelism != null) {
      cfg.job.parallelism = parallelism;
    }
    if (referenceTopic != null) {
      cfg.reference.topic = referenceTopic;
    }
    references.forEach(r -> cfg.reference.files.add(r.toString()));
    cfg.validate();
    if (cluster.remote()) {
      return cluster.submit(List.of("curate", "--config-json", cfg.toJson()), fromSavepoint);
    }
    Configuration flink = CurationJob.flinkConfig(cfg);
    if (fromSavepoint != null) {
      flink.set(StateRecoveryOptions.SAVEPOINT_PATH, fromSavepoint);
    }
    // the job section's settings (state backend, checkpoint storage, restarts) on a cluster too
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
    if (!(env instanceof LocalStreamEnvironment)) {
      // under `flink run` or a JobManager's REST API: submit to that cluster, do not wait
      JobClient job = CurationJob.submit(cfg, env);
      System.out.println("submitted " + CurationJob.JOB_NAME + " as job " + job.getJobID());
      return 0;
    }
    boolean terminal = System.console() != null;
    boolean live = progress != null ? progress : terminal;
    CurationSummary s;
    if (live) {
      LiveProgress.report(flink);
      try (LiveProgress p = LiveProgress.start(System.err, terminal)) {
        s = CurationJob.run(cfg, StreamExecutionEnvironment.getExecutionEnvironment(flink));
      }
    } else {
      s = CurationJob.run(cfg, StreamExecutionEnvironment.getExecutionEnvironment(flink));
    }
    System.out.println(s.table());
    return 0;
  }

  private int curateFiles(CurationConfig cfg) throws Exception {
    if (inputs.isEmpty() || output == null) {
      throw new IllegalArgumentException(
          "the file mode needs both --input and --output (got "
              + (inputs.isEmpty() ? "--output only" : "--input only")
              + ")");
    }
    if (bootstrap != null || referenceTopic != null || bounded) {
      throw new IllegalArgumentException(
          "--bootstrap, --reference-topic and --bounded are for the Kafka mode; the file mode (--input,"
              + " --output) runs without Kafka and is always bounded");
    }
    if (parallelism != null) {
      cfg.job.parallelism = parallelism;
    }
    references.forEach(r -> cfg.reference.files.add(r.toString()));
    cfg.validate();
    FileCurationSummary s =
        FileCurationJob.run(
            cfg,
            inputs,
            new ReadOptions(textColumn),
            output,
            overwrite,
            StreamExecutionEnvironment.getExecutionEnvironment(FileCurationJob.flinkConfig(cfg)));
    System.out.println(s.table());
    System.out.println("outputs and manifest.json in " + output);
    return s.exact() ? 0 : 1;
  }
}
