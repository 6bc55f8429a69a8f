package dev.winnow.bench.selection;

import dev.winnow.bench.BenchEnv;
import dev.winnow.jobs.common.Annotations;
import dev.winnow.jobs.common.DocRecord;
import dev.winnow.selection.budget.BudgetConfig;
import dev.winnow.selection.budget.Candidate;
import dev.winnow.selection.budget.StreamingBudgetSelector;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The curation job's budget stage per document, without Flink around it: what {@code
 * BudgetSelectOperator} does for each record (read the score from the attached JSON with {@link
 * Annotations#number}, offer it to the {@link StreamingBudgetSelector}), over 200,000 documents
 * carrying {@code meta.winnow.score}. The selector only compares numbers, which is why the stage
 * runs as one subtask. Writes {@code bench/results/select-stage.md}.
 */
public final class SelectStageBenchmark {
  private SelectStageBenchmark() {}

  public static void main(String[] args) throws Exception {
    int n = Integer.getInteger("docs", 200_000);
    SplittableRandom r = new SplittableRandom(1);
    List<DocRecord> docs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      DocRecord d = new DocRecord();
      d.id = "d" + i;
      d.source = i % 3 == 0 ? "news" : "web";
      d.text = "";
      d.annotations =
          String.format(
              Locale.ROOT,
              "{\"score\":{\"model\":\"proxy-mini\",\"tokens\":%d,\"mean_nll\":%.6f,\"ppl\":%.6f,\"ppl_word\":%.6f}}",
              100 + r.nextInt(2000),
              3 + r.nextDouble(),
              20 + 80 * r.nextDouble(),
              40 + 200 * r.nextDouble());
      docs.add(d);
    }
    StringBuilder md =
        new StringBuilder("# Budget stage (streaming selection)\n\n")
            .append(
                "`SelectStageBenchmark`: per document, what the curation job's `select` stage does: read ")
            .append(
                "`meta.winnow.score.ppl` from the attached JSON (`Annotations.number`) and offer it to `StreamingBudgetSelector` ")
            .append("(reservoir 10,000, threshold refreshed every 256, warm-up 1,000); ")
            .append(String.format("%,d", n))
            .append(
                " synthetic documents, the best of 3 runs after a warm-up run. Flink's own per-record cost ")
            .append("(serialization, network) is not included.\n\n")
            .append("Machine: ")
            .append(BenchEnv.machine())
            .append("\n\n")
            .append("| configuration | docs/s | kept |\n|---|---|---|\n");
    for (String variant :
        new String[] {"top-k, fraction 0.3", "gumbel, fraction 0.3, news 0.5 / web 0.5, tokens"}) {
      double best = 0;
      long kept = 0;
      for (int run = 0; run < 4; run++) {
        BudgetConfig c = new BudgetConfig();
        c.fraction = 0.3;
        boolean mixture = variant.startsWith("gumbel");
        if (mixture) {
          c.method = BudgetConfig.Method.GUMBEL_TOP_K;
          c.sourceWeights = java.util.Map.of("news", 0.5, "web", 0.5);
          c.unit = BudgetConfig.Unit.TOKENS;
        }
        StreamingBudgetSelector s = new StreamingBudgetSelector(c);
        long k = 0;
        long t0 = System.nanoTime();
        for (DocRecord d : docs) {
          double v = -Annotations.number(d, "meta.winnow.score.ppl");
          long t = mixture ? Math.round(Annotations.number(d, "meta.winnow.score.tokens")) : 1;
          for (var dec : s.offer(new Candidate(d.id, d.source, v, t))) {
            k += dec.kept() ? 1 : 0;
          }
        }
        for (var dec : s.finish()) {
          k += dec.kept() ? 1 : 0;
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        if (run > 0) {
          best = Math.max(best, n / secs);
        }
        kept = k;
      }
      md.append(String.format(Locale.ROOT, "| %s | %,.0f | %,d |%n", variant, best, kept));
    }
    Files.writeString(BenchEnv.result("select-stage.md"), md.toString());
    System.out.print(md);
  }
}
