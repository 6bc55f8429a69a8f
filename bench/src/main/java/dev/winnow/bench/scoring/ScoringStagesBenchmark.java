package dev.winnow.bench.scoring;

import dev.winnow.bench.BenchEnv;
import dev.winnow.ingest.Document;
import dev.winnow.ingest.serde.DocumentJson;
import dev.winnow.jobs.common.DocRecord;
import dev.winnow.jobs.curation.scoring.CcnetSection;
import dev.winnow.jobs.curation.scoring.CcnetStage;
import dev.winnow.jobs.curation.scoring.DsirSection;
import dev.winnow.jobs.curation.scoring.DsirStage;
import dev.winnow.jobs.curation.scoring.InstructionDifficultyFunction;
import dev.winnow.kernels.engine.EngineOptions;
import dev.winnow.kernels.engine.ScoringEngines;
import dev.winnow.kernels.model.LoadedModel;
import dev.winnow.kernels.model.ModelLoader;
import dev.winnow.kernels.scoring.BatchingScorer;
import dev.winnow.kernels.scoring.IfdScore;
import dev.winnow.kernels.scoring.InstructionDifficultyScorer;
import dev.winnow.kernels.scoring.ScoringEngine;
import dev.winnow.selection.dsir.DsirConfig;
import dev.winnow.selection.dsir.DsirModel;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.zip.GZIPInputStream;

/**
 * The curation job's selection-scoring stages without Kafka and Flink around them: the per-document
 * cost of the DSIR stage ({@code DsirStage.annotate}: hashed n-grams + annotation JSON), the CCNet
 * stage ({@code CcnetStage.annotate}: read the perplexity from the annotations, bucket, write),
 * their warm-up fits, and the IFD stage (pairs submitted all at once to a {@code BatchingScorer}
 * over {@code InstructionDifficultyScorer}, as the async operator does, plus the annotation). Best
 * of 3 runs each. Writes {@code bench/results/stages.md}.
 */
public final class ScoringStagesBenchmark {
  private ScoringStagesBenchmark() {}

  public static void main(String[] args) throws Exception {
    int threads = Integer.getInteger("threads", Runtime.getRuntime().availableProcessors());
    int pairsPerRun = Integer.getInteger("pairs", 64);
    List<Document> news = read("news", 3000);
    List<Document> web = read("web", 2000);
    List<Document> stream = new ArrayList<>(news.subList(0, 2000));
    stream.addAll(web);
    java.util.Collections.shuffle(stream, new java.util.Random(1));
    long chars = stream.stream().mapToLong(d -> d.text().length()).sum();

    StringBuilder md =
        new StringBuilder("# Curation job: selection-scoring stages (IFD, DSIR, CCNet)\n\n")
            .append("`ScoringStagesBenchmark`, ")
            .append(LocalDate.now())
            .append(". Per-document cost of each stage's ")
            .append(
                "function, without Kafka and Flink, on one thread unless said; best of 3 runs.\n\n")
            .append("Machine: ")
            .append(BenchEnv.machine())
            .append(". **Not quiet**: other engineers were building ")
            .append("on the same 2 cores during the run, so these are lower bounds.\n\n")
            .append("| stage | what is timed | input | docs/s | note |\n|---|---|---|---|---|\n");

    // DSIR: a news target (documents 2000-2999), raw fitted from the stream's first 1000 documents
    // (the warm-up)
    Path model = Files.createTempFile("dsir-news", ".json");
    DsirModel.fit(
            new DsirConfig(), news.subList(2000, 3000).stream().map(Document::text).toList(), null)
        .save(model);
    DsirSection dcfg = new DsirSection();
    dcfg.model = model.toString();
    DsirStage dsir = DsirStage.of(dcfg);
    List<DocRecord> warm = records(stream.subList(0, 1000));
    double fitSecs = best(() -> dsir.fit(warm));
    dsir.use(dsir.fit(warm));
    double dsirSecs =
        best(
            () -> {
              for (DocRecord d : records(stream)) {
                dsir.annotate(d);
              }
            });
    md.append(
        row(
            "DSIR",
            "`DsirStage.annotate` (10,000 buckets, uni+bigrams)",
            stream.size()
                + " news+web docs, "
                + String.format(Locale.ROOT, "%.1f", chars / 1e6)
                + " MB",
            stream.size() / dsirSecs,
            String.format(
                Locale.ROOT,
                "%.1f MB/s; warm-up fit of 1,000 docs %.0f ms",
                chars / 1e6 / dsirSecs,
                fitSecs * 1e3)));

    // CCNet: cuts learned from 1000 warm-up perplexities, then bucketing (the perplexity comes from
    // the annotations)
    CcnetStage ccnet = new CcnetStage(new CcnetSection());
    java.util.SplittableRandom r = new java.util.SplittableRandom(3);
    List<DocRecord> scored = records(stream);
    for (DocRecord d : scored) {
      d.annotations =
          "{\"score\":{\"model\":\"proxy-mini\",\"tokens\":200,\"mean_nll\":4.1,\"ppl\":60.3,\"ppl_word\":"
              + (50 + 400 * r.nextDouble())
              + "}}";
    }
    double cutSecs = best(() -> ccnet.fit(scored.subList(0, 1000)));
    ccnet.use(ccnet.fit(scored.subList(0, 1000)));
    String[] before = scored.stream().map(d -> d.annotations).toArray(String[]::new);
    double ccnetSecs =
        best(
            () -> {
              for (int i = 0; i < scored.size(); i++) {
                scored.get(i).annotations = before[i];
                ccnet.annotate(scored.get(i));
              }
            });
    md.append(
        row(
            "CCNet",
            "`CcnetStage.annotate`",
            scored.size() + " docs with `meta.winnow.score`",
            scored.size() / ccnetSecs,
            String.format(Locale.ROOT, "learning cuts from 1,000 docs %.1f ms", cutSecs * 1e3)));

    // IFD: prompt = "Continue this news report: " + the first 20 words, response = the next 60
    // words
    List<InstructionDifficultyScorer.Pair> pairs = new ArrayList<>();
    for (Document d : news.subList(1000, 1000 + pairsPerRun)) {
      String[] w = d.text().split("\\s+");
      int cut = Math.min(20, w.length / 3);
      pairs.add(
          new InstructionDifficultyScorer.Pair(
              "Continue this news report: " + String.join(" ", Arrays.copyOfRange(w, 0, cut)),
              String.join(" ", Arrays.copyOfRange(w, cut, Math.min(w.length, cut + 60)))));
    }
    LoadedModel m = ModelLoader.load(BenchEnv.shared().resolve("models/proxy-mini"));
    try (ScoringEngine engine =
        ScoringEngines.open(m.weights(), EngineOptions.defaults().withThreads(threads))) {
      InstructionDifficultyScorer scorer =
          new InstructionDifficultyScorer(engine, m.requireTokenizer());
      scorer.scoreAll(pairs.subList(0, 8)); // warm-up
      double ifdSecs =
          best(
              () -> {
                try (BatchingScorer<InstructionDifficultyScorer.Pair, IfdScore> batcher =
                    new BatchingScorer<>(scorer::scoreAll, 16, 20, "bench-ifd")) {
                  List<CompletableFuture<IfdScore>> futures =
                      pairs.stream().map(batcher::submit).toList();
                  for (CompletableFuture<IfdScore> f : futures) {
                    InstructionDifficultyFunction.annotate(null, f.join(), "proxy-mini");
                  }
                }
              });
      md.append(
          row(
              "IFD",
              "`BatchingScorer` (batch 16) over `InstructionDifficultyScorer` + annotation, proxy-mini, "
                  + threads
                  + " threads",
              pairs.size() + " pairs (prompt ~25 words, response 60 words)",
              pairs.size() / ifdSecs,
              "two forward passes per pair (prompt+response, response alone)"));
    }
    md.append(
        "\nFor scale: the perplexity stage before them scores about 6 news docs/s on this machine "
            + "([scoring-stage.md](scoring-stage.md)); DSIR and CCNet cost next to nothing beside it, IFD runs at about "
            + "half the perplexity stage's rate (two forward passes per pair). DSIR timing includes building the "
            + "`DocRecord` (JSON of its meta); CCNet's is mostly parsing and writing the annotations JSON. "
            + "Run: compile the reactor, then "
            + "`java -cp <bench classpath> dev.winnow.bench.scoring.ScoringStagesBenchmark`.\n");
    Files.writeString(BenchEnv.result("stages.md"), md.toString());
    System.out.print(md);
  }

  private static String row(
      String stage, String what, String input, double docsPerSec, String note) {
    return String.format(
        Locale.ROOT, "| %s | %s | %s | %,.1f | %s |%n", stage, what, input, docsPerSec, note);
  }

  private interface Body {
    void run() throws Exception;
  }

  private static double best(Body body) throws Exception {
    double best = Double.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      long t0 = System.nanoTime();
      body.run();
      best = Math.min(best, (System.nanoTime() - t0) / 1e9);
    }
    return best;
  }

  private static List<DocRecord> records(List<Document> docs) {
    List<DocRecord> out = new ArrayList<>(docs.size());
    for (int i = 0; i < docs.size(); i++) {
      out.add(DocRecord.of(docs.get(i), "bench-0@" + i));
    }
    return out;
  }

  private static List<Document> read(String corpus, int limit) throws Exception {
    List<Document> out = new ArrayList<>();
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(
                    Files.newInputStream(
                        BenchEnv.shared().resolve("corpora/" + corpus + ".jsonl.gz"))),
                StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null && out.size() < limit) {
        Document d = DocumentJson.parse(line);
        out.add(new Document(d.id(), d.text(), d.source(), Map.of()));
      }
    }
    return out;
  }
}
