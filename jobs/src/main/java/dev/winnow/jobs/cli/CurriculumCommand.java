package dev.winnow.jobs.cli;

import dev.winnow.jobs.curriculum.CurriculumJob;
import dev.winnow.jobs.curriculum.CurriculumJobConfig;
import dev.winnow.jobs.curriculum.CurriculumSummary;
import dev.winnow.jobs.models.BundledModels;
import dev.winnow.selection.curriculum.Competence;
import dev.winnow.selection.curriculum.DifficultyMeasure;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code winnow curriculum}: runs {@link CurriculumJob} (Flink, batch execution) on a local
 * MiniCluster: orders a selected set by difficulty, cuts it into competence stages and writes the
 * documents in rank order to JSONL shards ({@code stage-SS-NNNNN.jsonl} + {@code manifest.json})
 * and/or a topic, each with {@code meta.curriculum = {stage, rank, difficulty, measure}}. The input
 * is sorted by Flink's external sorter, not held in memory.
 */
@Command(
    name = "curriculum",
    mixinStandardHelpOptions = true,
    description = {
      "Order documents by difficulty (perplexity, length or gzip compression ratio), split them into "
          + "stages by a competence function (Platanios et al. 2019: linear or sqrt, starting at c0), and write them in "
          + "rank order with meta.curriculum {stage, rank, difficulty, measure} to JSONL shards and/or a Kafka topic. "
          + "Runs a bounded Flink job (batch mode) on a local MiniCluster, or on a Flink cluster with --jobmanager "
          + "HOST:PORT (the job jar over REST, as for curate; the files must be reachable there)."
    })
public final class CurriculumCommand implements Callable<Integer> {
  @Option(
      names = "--input",
      arity = "1..*",
      description = "Input files (.jsonl, .jsonl.gz) or directories.")
  List<Path> inputs = List.of();

  @Option(
      names = "--input-topic",
      description = "Input topic, read bounded (read_committed, earliest to the end at start).")
  String inputTopic;

  @Option(
      names = "--output-dir",
      description = "Directory for the shards, manifest.json and rejects.jsonl.")
  Path outputDir;

  @Option(
      names = "--output-topic",
      description = "Topic for the ordered curriculum (partition 0, in rank order).")
  String outputTopic;

  @Option(
      names = "--deadletter-topic",
      description =
          "Topic for undecodable input (default with --input-topic or "
              + "--output-topic: <output-topic or input-topic>-deadletter).")
  String deadletterTopic;

  @Option(names = "--bootstrap", description = "Kafka bootstrap servers, needed with a topic.")
  String bootstrap;

  @Option(
      names = "--measure",
      defaultValue = "perplexity",
      description = "perplexity, length or compression (default: ${DEFAULT-VALUE}).")
  String measure;

  @Option(
      names = "--competence",
      defaultValue = "sqrt",
      description = "linear or sqrt (default: ${DEFAULT-VALUE}).")
  String competence;

  @Option(
      names = "--c0",
      defaultValue = "0.01",
      description = "Starting competence (default: ${DEFAULT-VALUE}).")
  double c0;

  @Option(
      names = "--stages",
      defaultValue = "4",
      description = "Number of stages (default: ${DEFAULT-VALUE}).")
  int stages;

  @Option(
      names = "--shard-size",
      defaultValue = "10000",
      description = "Records per shard (default: ${DEFAULT-VALUE}).")
  int shardSize;

  @Option(
      names = "--perplexity-field",
      defaultValue = "winnow.score.ppl",
      description =
          "Dotted meta path of a "
              + "perplexity (a plain meta.ppl is accepted too); documents with neither are scored with --model, which "
              + "stores it in meta.winnow.score (default: ${DEFAULT-VALUE}).")
  String perplexityField;

  @Option(
      names = "--model",
      defaultValue = BundledModels.PROXY_MINI,
      description = "Proxy model for missing perplexities (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(names = "--threads", description = "CPU threads for scoring (default: number of cores).")
  Integer threads;

  @Option(
      names = "--parallelism",
      description = "Parallelism of reading, measuring and scoring (default: number of cores).")
  Integer parallelism;

  @Option(
      names = "--reject-file",
      description = "Malformed input records (default: <output-dir>/rejects.jsonl).")
  Path rejectFile;

  @Mixin KafkaPropertiesOption kafkaProperties;

  @Mixin PrecisionOption precision;

  @Mixin ClusterOptions cluster;

  @Option(
      names = "--config-json",
      hidden = true,
      description = "The resolved configuration (used by --jobmanager).")
  String configJson;

  @Override
  public Integer call() throws Exception {
    CurriculumJobConfig cfg =
        configJson != null
            ? ClusterSubmission.fromJson(configJson, CurriculumJobConfig.class)
            : fromOptions();
    cfg.validate();
    if (cluster.remote()) {
      return cluster.submit(
          List.of("curriculum", "--config-json", ClusterSubmission.toJson(cfg)), null);
    }
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(CurriculumJob.flinkConfig());
    if (!(env instanceof LocalStreamEnvironment)) {
      // under `flink run` or a JobManager's REST API: submit to that cluster, do not wait
      JobClient job = CurriculumJob.submit(cfg, env);
      System.out.println("submitted " + CurriculumJob.JOB_NAME + " as job " + job.getJobID());
      return 0;
    }
    CurriculumSummary s = CurriculumJob.run(cfg, env);
    System.err.println(
        s.line()
            + (outputDir != null ? " -> " + outputDir : "")
            + (outputTopic != null ? " -> topic " + outputTopic : ""));
    return 0;
  }

  /**
   * The job's configuration from the options; paths absolute, so that they mean the same on a
   * cluster (which must reach them: shared storage).
   */
  private CurriculumJobConfig fromOptions() throws Exception {
    CurriculumJobConfig cfg = new CurriculumJobConfig();
    cfg.curriculum.measure =
        switch (measure) {
          case "perplexity", "ppl" -> DifficultyMeasure.PERPLEXITY;
          case "length" -> DifficultyMeasure.LENGTH;
          case "compression", "compression-ratio" -> DifficultyMeasure.COMPRESSION_RATIO;
          default ->
              throw new IllegalArgumentException(
                  "illegal --measure " + measure + ": must be perplexity, length or compression");
        };
    cfg.curriculum.competence =
        switch (competence) {
          case "linear" -> Competence.LINEAR;
          case "sqrt" -> Competence.SQRT;
          default ->
              throw new IllegalArgumentException(
                  "illegal --competence " + competence + ": must be linear or sqrt");
        };
    cfg.curriculum.c0 = c0;
    cfg.curriculum.stages = stages;
    if (!inputs.isEmpty() && inputTopic != null) {
      throw new IllegalArgumentException("give --input or --input-topic, not both");
    }
    inputs.forEach(p -> cfg.inputFiles.add(p.toAbsolutePath().toString()));
    cfg.inputTopic = inputTopic;
    cfg.outputTopic = outputTopic;
    cfg.outputDir = outputDir == null ? null : outputDir.toAbsolutePath().toString();
    cfg.rejectFile = rejectFile == null ? null : rejectFile.toAbsolutePath().toString();
    cfg.kafka.bootstrap = bootstrap;
    kafkaProperties.applyTo(cfg.kafka);
    cfg.deadletterTopic =
        deadletterTopic != null
            ? deadletterTopic
            : outputTopic != null
                ? outputTopic + "-deadletter"
                : inputTopic != null ? inputTopic + "-deadletter" : null;
    cfg.shardSize = shardSize;
    cfg.perplexityField = perplexityField;
    cfg.score.model = model;
    cfg.score.precision = precision.text();
    if (threads != null) {
      cfg.score.threads = threads;
    }
    if (parallelism != null) {
      cfg.parallelism = parallelism;
    }
    return cfg;
  }
}
