package dev.winnow.bench.scoring;

import dev.winnow.bench.BenchEnv;
import dev.winnow.kernels.engine.EngineOptions;
import dev.winnow.kernels.engine.ScoringEngines;
import dev.winnow.kernels.model.LoadedModel;
import dev.winnow.kernels.model.ModelConfig;
import dev.winnow.kernels.model.ModelLoader;
import dev.winnow.kernels.scoring.ScoringEngine;
import dev.winnow.kernels.scoring.ScoringSession;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * {@code ScoringEngine.score} (forward pass, head, log-softmax over the full vocabulary) on each
 * matrix backend, side by side in one run: tokens/s, ms per batch and GFLOP/s for the shared proxy
 * models at batch × length settings (default 1×512 and 4×1024), plus a KV-cache session (16 appends
 * of 32 tokens). Rounds alternate the backends and each keeps its best, so load from other
 * processes hits both alike. Random token ids (they cost what real ones cost). Optionally reads the
 * Hugging Face transformers peer's figures from a JSON file written by {@code
 * bench/peers/hf_scoring.py} in the same run ({@code -Dpeer=path}). Writes {@code
 * bench/results/kernels-backends-<date>.md}.
 *
 * <p>Run (after {@code mvn -B -q -o -pl bench -am compile}): {@code java -cp <kernels and bench
 * classes and the kernels' jars> dev.winnow.bench.scoring.MatrixBackendBenchmark}; properties
 * {@code -Dthreads=2}, {@code -Dmodels=proxy-mini,proxy-small}, {@code -Dshapes=1x512,4x1024},
 * {@code -Dseconds=6} (per backend and shape, split over {@code -Drounds=3}).
 */
public final class MatrixBackendBenchmark {
  private MatrixBackendBenchmark() {}

  public static void main(String[] args) throws Exception {
    int threads = Integer.getInteger("threads", Runtime.getRuntime().availableProcessors());
    double seconds = Double.parseDouble(System.getProperty("seconds", "6"));
    String[] models = System.getProperty("models", "proxy-mini,proxy-small").split(",");
    String[] shapes = System.getProperty("shapes", "1x512,4x1024").split(",");
    String peer = System.getProperty("peer");
    // -Dconfigs=java,openblas,onednn,onednn-plain: fp32 on Java and OpenBLAS, bf16 on oneDNN (x3
    // form, the default, and the plain form)
    List<String> backends =
        List.of(System.getProperty("configs", "java,openblas,onednn,onednn-plain").split(","));

    StringBuilder md =
        new StringBuilder("# Scoring engine: matrix backends side by side\n\n")
            .append("`MatrixBackendBenchmark` on ")
            .append(Instant.now().truncatedTo(ChronoUnit.SECONDS))
            .append(". Machine: ")
            .append(BenchEnv.machine())
            .append("; CPU flags: ")
            .append(cpuFlags())
            .append("; load average at start ")
            .append(
                String.format(
                    Locale.ROOT,
                    "%.2f",
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()))
            .append(
                " (other engineers' builds may share the 2 cores: figures are lower bounds).\n\n")
            .append(
                "`score()` = forward pass + output head + log-softmax over the full vocabulary, random ids, ")
            .append(threads)
            .append(
                " threads in all (the Java workers; OpenBLAS and oneDNN run single-threaded inside each tile they hand it); ")
            .append(
                "java and openblas in fp32, onednn in bf16 (`x3`: each input split into bf16 high and low parts, three products; ")
            .append(
                "`plain`: inputs rounded to bf16 once; f32 accumulation and output); per backend the best of ")
            .append(Integer.getInteger("rounds", 3))
            .append(" rounds (alternating the backends), each the mean over at least ")
            .append(String.format(Locale.ROOT, "%.1f", seconds / Integer.getInteger("rounds", 3)))
            .append(" s after one warm-up call. ")
            .append(
                "GFLOP/s counts 2 FLOPs per multiply-add of projections, MLP, attention and head ")
            .append("(`ModelConfig.flopsPerToken` at the mean attended context).\n\n")
            .append(
                "| model | batch × length | backend | tokens/s | ms per batch | GFLOP/s | session 16×32 appends, ms |\n")
            .append("|---|---|---|---|---|---|---|\n");
    int rounds = Integer.getInteger("rounds", 3);
    for (String name : models) {
      LoadedModel model =
          ModelLoader.load(BenchEnv.shared().resolve("models").resolve(name.trim()));
      ModelConfig c = model.config();
      List<ScoringEngine> engines = new ArrayList<>();
      List<String> failures = new ArrayList<>();
      for (String config : backends) {
        try {
          engines.add(open(model, config.trim(), threads));
          failures.add(null);
        } catch (RuntimeException e) {
          engines.add(null);
          failures.add(e.getMessage());
        }
      }
      try {
        for (String shape : shapes) {
          String[] bl = shape.trim().split("x");
          int batch = Integer.parseInt(bl[0]);
          int length = Math.min(Integer.parseInt(bl[1]), c.contextLength());
          List<int[]> sequences = randomSequences(batch, length, c.vocabSize(), 42);
          double[] best = new double[backends.size()];
          // rounds alternate the backends, so load from other processes hits both alike; best of
          // the rounds
          for (int round = 0; round < rounds; round++) {
            for (int b = 0; b < backends.size(); b++) {
              if (engines.get(b) != null) {
                best[b] =
                    Math.max(best[b], tokensPerSecond(engines.get(b), sequences, seconds / rounds));
              }
            }
          }
          for (int b = 0; b < backends.size(); b++) {
            String backend = label(backends.get(b).trim());
            String row;
            if (engines.get(b) == null) {
              row =
                  String.format(
                      Locale.ROOT,
                      "| %s | %d × %d | %s | not run: %s | | | |%n",
                      name,
                      batch,
                      length,
                      backend,
                      failures.get(b));
            } else {
              double perBatch = batch * length / best[b];
              double gflops = best[b] * c.flopsPerToken((length + 1) / 2.0) / 1e9;
              String session =
                  batch == 1
                      ? String.format(Locale.ROOT, "%.0f", sessionMillis(engines.get(b), c))
                      : "";
              row =
                  String.format(
                      Locale.ROOT,
                      "| %s | %d × %d | %s | %,.0f | %.1f | %.1f | %s |%n",
                      name,
                      batch,
                      length,
                      backend,
                      best[b],
                      perBatch * 1000,
                      gflops,
                      session);
            }
            md.append(row);
            System.out.print(row);
          }
        }
      } finally {
        for (ScoringEngine e : engines) {
          if (e != null) {
            e.close();
          }
        }
      }
    }
    if (peer != null && Files.isReadable(Path.of(peer))) {
      md.append("\n## Peer, same run: Hugging Face transformers on torch (CPU)\n\n")
          .append(
              "From `bench/peers/hf_scoring.py` (`model(ids).logits`, `log_softmax(float)`, gather; ")
          .append("torch threads = ")
          .append(threads)
          .append("):\n\n```\n")
          .append(Files.readString(Path.of(peer)).trim())
          .append("\n```\n");
    }
    md.append(
        String.format(
            Locale.ROOT,
            "%nLoad average at the end: %.2f.%n",
            ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
    Path out =
        BenchEnv.result(
            System.getProperty(
                "result", "kernels-backends-" + LocalDate.now(ZoneOffset.UTC) + ".md"));
    Files.writeString(out, md.toString());
    System.out.println("written to " + out);
  }

  /** {@code java}, {@code openblas} (fp32), {@code onednn} (bf16 x3) or {@code onednn-plain}. */
  private static ScoringEngine open(LoadedModel model, String config, int threads) {
    EngineOptions options = EngineOptions.defaults().withThreads(threads);
    if (!config.startsWith("onednn")) {
      return ScoringEngines.open(
          model,
          options
              .withBackend(EngineOptions.Backend.parse(config))
              .withPrecision(EngineOptions.Precision.FP32));
    }
    // the form is read when the weights are packed
    String property = "winnow.kernels.bf16";
    String before = System.getProperty(property);
    System.setProperty(property, config.endsWith("-plain") ? "plain" : "x3");
    try {
      return ScoringEngines.open(
          model,
          options
              .withBackend(EngineOptions.Backend.ONEDNN)
              .withPrecision(EngineOptions.Precision.BF16));
    } finally {
      if (before == null) {
        System.clearProperty(property);
      } else {
        System.setProperty(property, before);
      }
    }
  }

  private static String label(String config) {
    return switch (config) {
      case "onednn" -> "onednn bf16 x3";
      case "onednn-plain" -> "onednn bf16 plain";
      default -> config + " fp32";
    };
  }

  /**
   * tokens/s of {@code engine.score(sequences)}, the mean over at least {@code seconds} after one
   * warm-up call.
   */
  private static double tokensPerSecond(
      ScoringEngine engine, List<int[]> sequences, double seconds) {
    int tokens = 0;
    for (int[] s : sequences) {
      tokens += s.length;
    }
    engine.score(sequences); // warm-up: JIT compilation, native library start
    int reps = 0;
    long start = System.nanoTime();
    double elapsed;
    do {
      engine.score(sequences);
      reps++;
      elapsed = (System.nanoTime() - start) / 1e9;
    } while (elapsed < seconds);
    return tokens * reps / elapsed;
  }

  /**
   * Best of 3: a fresh session, 16 appends of 32 random tokens (to 512 cached), as prompt
   * compression appends.
   */
  private static double sessionMillis(ScoringEngine engine, ModelConfig c) {
    Random random = new Random(7);
    double best = Double.MAX_VALUE;
    for (int rep = 0; rep < 3; rep++) {
      try (ScoringSession session = engine.newSession()) {
        long start = System.nanoTime();
        for (int k = 0; k < 16; k++) {
          session.append(randomSequences(1, 32, c.vocabSize(), random.nextLong()).get(0));
        }
        best = Math.min(best, (System.nanoTime() - start) / 1e6);
      }
    }
    return best;
  }

  private static List<int[]> randomSequences(int batch, int length, int vocab, long seed) {
    Random random = new Random(seed);
    List<int[]> sequences = new ArrayList<>();
    for (int b = 0; b < batch; b++) {
      int[] ids = new int[length];
      for (int i = 0; i < length; i++) {
        ids[i] = random.nextInt(vocab);
      }
      sequences.add(ids);
    }
    return sequences;
  }

  private static String cpuFlags() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("flags")) {
          List<String> keep = new ArrayList<>();
          for (String f : line.substring(line.indexOf(':') + 1).trim().split("\\s+")) {
            if (f.equals("avx2")
                || f.equals("fma")
                || f.equals("avx512f")
                || f.equals("avx512_bf16")
                || f.equals("amx_bf16")) {
              keep.add(f);
            }
          }
          return String.join(" ", keep);
        }
      }
    } catch (java.io.IOException e) {
      return "unknown";
    }
    return "unknown";
  }
}
