package dev.winnow.bench.scoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.winnow.bench.BenchEnv;
import dev.winnow.kernels.engine.EngineOptions;
import dev.winnow.kernels.engine.ScoringEngines;
import dev.winnow.kernels.model.LoadedModel;
import dev.winnow.kernels.model.ModelLoader;
import dev.winnow.kernels.scoring.BatchingScorer;
import dev.winnow.kernels.scoring.DocumentScore;
import dev.winnow.kernels.scoring.DocumentScorer;
import dev.winnow.kernels.scoring.ScoringEngine;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.zip.GZIPInputStream;

/**
 * The curation job's perplexity stage without Kafka and Flink around it: {@code BatchingScorer}
 * over proxy-mini on real news documents, at batch sizes 1 to 64, fed as the async operator feeds
 * it (everything in flight at once). Shows whether throughput holds up when documents are batched.
 * Writes {@code bench/results/scoring-stage.md}.
 */
public final class ScoringStageBenchmark {
  private ScoringStageBenchmark() {}

  public static void main(String[] args) throws Exception {
    int docsPerRun = Integer.getInteger("docs", 192);
    int threads = Integer.getInteger("threads", Runtime.getRuntime().availableProcessors());
    List<String> texts = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(
                    Files.newInputStream(BenchEnv.shared().resolve("corpora/news.jsonl.gz"))),
                StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null && texts.size() < docsPerRun) {
        JsonNode d = json.readTree(line);
        texts.add(d.get("text").asText());
      }
    }
    LoadedModel m = ModelLoader.load(BenchEnv.shared().resolve("models/proxy-mini"));
    StringBuilder md =
        new StringBuilder("# Perplexity stage: batching\n\n")
            .append(
                "`ScoringStageBenchmark`: `BatchingScorer` + `DocumentScorer` on proxy-mini (CPU, ")
            .append(threads)
            .append(" threads), the first ")
            .append(texts.size())
            .append(" documents of `news.jsonl.gz`, all submitted ")
            .append(
                "at once (as the async operator does), batch wait 20 ms; the best of 3 runs.\n\n")
            .append("Machine: ")
            .append(BenchEnv.machine())
            .append("\n\n")
            .append("| batch size | docs/s | tokens/s | scorer calls |\n|---|---|---|---|\n");
    try (ScoringEngine engine =
        ScoringEngines.open(m.weights(), EngineOptions.defaults().withThreads(threads))) {
      DocumentScorer scorer = new DocumentScorer(engine, m.requireTokenizer());
      scorer.scoreAll(texts.subList(0, 16)); // warm-up
      for (int batch : new int[] {1, 4, 16, 64}) {
        double best = 0;
        long tokens = 0;
        long calls = 0;
        for (int run = 0; run < 3; run++) {
          try (BatchingScorer<String, DocumentScore> batcher =
              BatchingScorer.of(scorer, batch, 20)) {
            long t0 = System.nanoTime();
            List<CompletableFuture<DocumentScore>> futures = new ArrayList<>();
            for (String t : texts) {
              futures.add(batcher.submit(t));
            }
            long tok = 0;
            for (CompletableFuture<DocumentScore> f : futures) {
              tok += f.get().tokens();
            }
            double s = (System.nanoTime() - t0) / 1e9;
            if (texts.size() / s > best) {
              best = texts.size() / s;
              tokens = tok;
              calls = batcher.batches();
            }
          }
        }
        double seconds = texts.size() / best;
        md.append(
            String.format(
                Locale.ROOT, "| %d | %.1f | %.0f | %d |%n", batch, best, tokens / seconds, calls));
        System.err.printf(Locale.ROOT, "batch %d: %.1f docs/s%n", batch, best);
      }
    }
    Files.writeString(BenchEnv.result("scoring-stage.md"), md.toString());
    System.out.print(md);
  }
}
