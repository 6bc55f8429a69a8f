package dev.winnow.jobs.curation.files;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.winnow.ingest.io.DocumentReader;
import dev.winnow.ingest.io.ReadOptions;
import dev.winnow.ingest.serde.DocumentJson;
import dev.winnow.jobs.common.DeadLetterRecord;
import dev.winnow.jobs.common.RawRecord;
import dev.winnow.jobs.common.RuleCounters;
import dev.winnow.jobs.curation.CurationConfig;
import dev.winnow.jobs.curation.CurationJob;
import dev.winnow.jobs.curation.CurationSummary;
import dev.winnow.jobs.curation.dedup.ReferenceSet;
import dev.winnow.jobs.curation.scoring.DsirStage;
import dev.winnow.jobs.kafka.CuratedSerializer;
import dev.winnow.jobs.kafka.RejectedSerializer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.BatchExecutionOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.BasePathBucketAssigner;

/**
 * The curation job on files, without Kafka: a bounded Flink job in batch execution mode that reads
 * input files (every format of {@link DocumentReader}), runs the same stage chain as the streaming
 * job ({@link CurationJob#stages}, the same config) and writes {@code DIR/curated/}, {@code
 * DIR/rejected/} and {@code DIR/deadletter/} as gzip-compressed JSON-lines part files through
 * Flink's {@link FileSink}, plus {@code DIR/manifest.json} with the counts.
 *
 * <pre>
 * input files ─▶ read (one file per task) ─▶ [the stage chain of CurationJob] ─▶ curated/ rejected/ deadletter/
 *                  └─ unreadable entries (reason, file:line / file@offset / file:row N) ─▶ deadletter/
 * </pre>
 *
 * <p>Part files are closed at {@link #PART_BYTES} compressed bytes and at the end of the input.
 *
 * <p>Exactly once: in batch mode a failed task is restarted with its region and re-reads its whole
 * input; the file sink commits part files only when the job's input has ended, so the committed
 * files hold every record once. The run then counts the committed files (reading them back) and
 * checks {@code in = kept + rejected + dead-lettered} against the reader's count of entries.
 *
 * <p>Order: each record's timestamp is its place in the input ({@link ReadInputFiles#sequence}),
 * and batch mode sorts every keyed input by key and timestamp, so exact and near dedup keep the
 * first occurrence <em>in input order</em> (deterministic, whatever the parallelism).
 */
public final class FileCurationJob {
  /** Compressed size at which a part file is closed and the next one begun. */
  public static final long PART_BYTES = 256L * 1024 * 1024;

  private FileCurationJob() {}

  /**
   * Flink settings: the config's {@code job} section (restarts, state backend) with batch mode's
   * automatic parallelism off, so that {@code job.parallelism} holds (Flink would otherwise size
   * every stage from its input's bytes, and small inputs run on one task).
   */
  public static Configuration flinkConfig(CurationConfig cfg) {
    Configuration conf = CurationJob.flinkConfig(cfg);
    conf.set(BatchExecutionOptions.ADAPTIVE_AUTO_PARALLELISM_ENABLED, false);
    return conf;
  }

  /**
   * Checks the inputs and the output directory, runs the job on {@code env}, counts the output
   * files, writes the manifest and returns the summary. Make {@code env} with {@link #flinkConfig}.
   */
  public static FileCurationSummary run(
      CurationConfig cfg,
      List<Path> inputs,
      ReadOptions read,
      Path outputDir,
      boolean overwrite,
      StreamExecutionEnvironment env)
      throws Exception {
    return run(cfg, inputs, read, outputDir, overwrite, env, PART_BYTES);
  }

  /** {@link #run} with part files closed at {@code partBytes} compressed bytes. */
  public static FileCurationSummary run(
      CurationConfig cfg,
      List<Path> inputs,
      ReadOptions read,
      Path outputDir,
      boolean overwrite,
      StreamExecutionEnvironment env,
      long partBytes)
      throws Exception {
    List<Path> files = inputFiles(inputs);
    if (cfg.reference.topic != null) {
      throw new IllegalArgumentException(
          "reference.topic needs Kafka, and the file mode runs without it: pass the reference"
              + " documents as files (--reference F, or reference.files in the config)");
    }
    ReferenceSet reference = cfg.pinReference(); // a missing reference file fails before the run
    if (cfg.dsir.enabled) {
      DsirStage.of(cfg.dsir); // likewise a missing or invalid DSIR model file
    }
    OutputDirectory out = new OutputDirectory(outputDir);
    out.prepare(overwrite);
    build(cfg, files, read, out, env, reference, partBytes);
    long t0 = System.nanoTime();
    JobExecutionResult result = env.execute("winnow-curation-files");
    double secs = (System.nanoTime() - t0) / 1e9;
    out.removeInProgressFiles();
    Map<String, List<OutputDirectory.Part>> parts = new LinkedHashMap<>();
    for (String o : OutputDirectory.OUTPUTS) {
      parts.put(o, out.parts(o));
    }
    FileCurationSummary summary =
        new FileCurationSummary(new CurationSummary(RuleCounters.of(result), secs), parts);
    writeManifest(out, files, read, summary);
    return summary;
  }

  /** The input files in reading order; fails naming an input that does not exist. */
  static List<Path> inputFiles(List<Path> inputs) throws IOException {
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("no inputs: pass at least one file or directory");
    }
    for (Path p : inputs) {
      if (!Files.exists(p)) {
        throw new NoSuchFileException(p.toString(), null, "input does not exist");
      }
    }
    List<Path> files = DocumentReader.expand(inputs);
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no input files under " + inputs);
    }
    return files;
  }

  /** Builds the job graph on {@code env} (batch execution mode). */
  public static void build(
      CurationConfig cfg,
      List<Path> files,
      ReadOptions read,
      OutputDirectory out,
      StreamExecutionEnvironment env,
      ReferenceSet reference,
      long partBytes) {
    env.setRuntimeMode(RuntimeExecutionMode.BATCH);
    env.setParallelism(cfg.job.effectiveParallelism());
    List<InputFileRef> refs = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      refs.add(InputFileRef.of(i, files.get(i).toAbsolutePath().toString()));
    }
    SingleOutputStreamOperator<RawRecord> entries =
        env.fromData(refs)
            .name("input files")
            .rebalance()
            .process(new ReadInputFiles(CurationJob.DEAD_LETTERS, read))
            .uid("read-files")
            .name("read input files");
    DataStream<RawRecord> raw =
        entries
            .assignTimestampsAndWatermarks(
                WatermarkStrategy.<RawRecord>noWatermarks()
                    .withTimestampAssigner(
                        (r, previous) -> ReadInputFiles.sequence(r.partition, r.offset)))
            .uid("input-order")
            .name("input order");
    DataStream<DeadLetterRecord> unreadable = entries.getSideOutput(CurationJob.DEAD_LETTERS);

    CurationJob.Outputs o = CurationJob.stages(cfg, raw, unreadable, reference);
    o.curated()
        .sinkTo(sink(out.output("curated"), CuratedSerializer::value, partBytes))
        .uid("sink-curated-files")
        .name("write curated/");
    o.rejected()
        .sinkTo(sink(out.output("rejected"), RejectedSerializer::value, partBytes))
        .uid("sink-rejected-files")
        .name("write rejected/");
    o.deadLetters()
        .sinkTo(sink(out.output("deadletter"), DeadLetterJson::value, partBytes))
        .uid("sink-deadletter-files")
        .name("write deadletter/");
  }

  private static <T> FileSink<T> sink(
      Path dir, GzipJsonLines.Serializer<T> serializer, long partBytes) {
    return FileSink.forBulkFormat(
            new org.apache.flink.core.fs.Path(dir.toAbsolutePath().toUri()),
            new GzipJsonLines<>(serializer))
        .withBucketAssigner(new BasePathBucketAssigner<>())
        .withRollingPolicy(new RollBySize<>(partBytes))
        .withOutputFileConfig(
            OutputFileConfig.builder().withPartPrefix("part").withPartSuffix(".jsonl.gz").build())
        .build();
  }

  private static void writeManifest(
      OutputDirectory out, List<Path> files, ReadOptions read, FileCurationSummary s)
      throws IOException {
    ObjectNode m = DocumentJson.mapper().createObjectNode();
    m.put("finished", Instant.now().toString());
    ArrayNode in = m.putArray("inputs");
    files.forEach(f -> in.add(f.toAbsolutePath().toString()));
    m.put("text_column", read.textColumn());
    m.put("in", s.in());
    for (String o : OutputDirectory.OUTPUTS) {
      ObjectNode section = m.putObject(o);
      section.put("records", s.onDisk(o));
      if (o.equals("rejected")) {
        ObjectNode rules = section.putObject("rules");
        s.job()
            .counters()
            .forEach(
                (k, v) -> {
                  if (k.startsWith("rejected.")) {
                    rules.put(k.substring("rejected.".length()), v);
                  }
                });
      }
      ArrayNode parts = section.putArray("files");
      for (OutputDirectory.Part p : s.parts().get(o)) {
        parts.addObject().put("file", p.file()).put("records", p.records()).put("bytes", p.bytes());
      }
    }
    m.put("out", s.out());
    m.put("exact", s.exact());
    m.put("seconds", s.job().seconds());
    Files.write(
        out.dir().resolve(OutputDirectory.MANIFEST),
        DocumentJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(m));
  }
}
