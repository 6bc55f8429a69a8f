package dev.winnow.bench.curriculum;

import dev.winnow.bench.BenchEnv;
import dev.winnow.jobs.curriculum.CurriculumJob;
import dev.winnow.jobs.curriculum.CurriculumJobConfig;
import dev.winnow.jobs.curriculum.CurriculumSummary;
import dev.winnow.selection.curriculum.DifficultyMeasure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The curriculum job (Flink batch mode, files in, ordered shards out) over the whole of {@code
 * ../shared/corpora} (29,272 documents, 9.4 MB gzipped) with a measure that needs no model (length,
 * gzip compression ratio): read, measure, count, the global sort at parallelism 1, stage
 * assignment, shard writing. The time is that of the Flink job on a local MiniCluster, start-up
 * included. Writes {@code bench/results/curriculum.md}.
 */
public final class CurriculumBenchmark {
  private CurriculumBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path corpora = BenchEnv.shared().resolve("corpora");
    List<String> files;
    try (Stream<Path> s = Files.list(corpora)) {
      files =
          s.filter(p -> p.toString().endsWith(".jsonl.gz")).sorted().map(Path::toString).toList();
    }
    long bytes = 0;
    for (String f : files) {
      bytes += Files.size(Path.of(f));
    }
    int parallelism = Integer.getInteger("parallelism", Runtime.getRuntime().availableProcessors());
    StringBuilder md =
        new StringBuilder("# Curriculum job\n\n")
            .append(
                "`CurriculumBenchmark`: `CurriculumJob` (Flink batch mode on a local MiniCluster, parallelism ")
            .append(parallelism)
            .append(") over every file of `../shared/corpora` (")
            .append(files.size())
            .append(String.format(Locale.ROOT, " files, %.1f MB gzipped", bytes / 1e6))
            .append(
                "): read, measure, count, global sort, stages (sqrt competence, c0 0.01, 4 stages), shards. ")
            .append("Wall time of the job, MiniCluster start included; the best of 2 runs.\n\n")
            .append("Machine: ")
            .append(BenchEnv.machine())
            .append("\n\n")
            .append("| measure | documents | seconds | docs/s |\n|---|---|---|---|\n");
    for (DifficultyMeasure m :
        new DifficultyMeasure[] {DifficultyMeasure.LENGTH, DifficultyMeasure.COMPRESSION_RATIO}) {
      double best = Double.MAX_VALUE;
      long docs = 0;
      for (int run = 0; run < 2; run++) {
        Path out = Files.createTempDirectory("winnow-curriculum-bench");
        CurriculumJobConfig cfg = new CurriculumJobConfig();
        cfg.inputFiles = files;
        cfg.outputDir = out.toString();
        cfg.rejectFile = out.resolve("rejects.jsonl").toString();
        cfg.curriculum.measure = m;
        cfg.parallelism = parallelism;
        long t0 = System.nanoTime();
        CurriculumSummary s =
            CurriculumJob.run(
                cfg,
                StreamExecutionEnvironment.getExecutionEnvironment(CurriculumJob.flinkConfig()));
        best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        docs = s.documents();
        try (Stream<Path> w = Files.walk(out)) {
          w.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %,d | %.1f | %,.0f |%n",
              m.name().toLowerCase(Locale.ROOT),
              docs,
              best,
              docs / best));
    }
    Files.writeString(BenchEnv.result("curriculum.md"), md.toString());
    System.out.print(md);
  }
}
