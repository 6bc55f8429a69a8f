package dev.winnow.bench.selection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.winnow.bench.BenchEnv;
import dev.winnow.selection.quality.FilterOutcome;
import dev.winnow.selection.quality.QualityConfig;
import dev.winnow.selection.quality.QualityPipeline;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The quality filters' speed with each preset ({@code datatrove-2024}, the behaviour before issue
 * 17, and {@code datatrove-0.10}, the default since), for the "no loss of speed": all
 * documents of {@code ../shared/corpora} (raw text, no normalization), FineWeb order, every filter
 * on with its defaults, {@link QualityPipeline#apply} on one thread. Passes alternate between the
 * presets (ABBA order per round) so that load from other processes falls on both alike; the time is
 * the CPU time of the measuring thread. Writes {@code bench/results/quality-presets-speed.md}.
 *
 * <p>Run: {@code mvn -B -q -pl bench exec:exec
 * -Dbench.main=dev.winnow.bench.selection.QualityPresetSpeedBenchmark} ({@code -Dexec.args=ROUNDS},
 * default 4).
 */
public final class QualityPresetSpeedBenchmark {
  private static final String[] CORPORA = {"news", "prose", "reviews", "speeches", "udhr", "web"};

  private QualityPresetSpeedBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 4;
    List<String> texts = new ArrayList<>();
    long chars = 0;
    ObjectMapper json = new ObjectMapper();
    for (String c : CORPORA) {
      Path f = BenchEnv.shared().resolve("corpora/" + c + ".jsonl.gz");
      try (BufferedReader r =
          new BufferedReader(
              new InputStreamReader(
                  new GZIPInputStream(Files.newInputStream(f)), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          JsonNode d = json.readTree(line);
          String t = d.path("text").asText("");
          texts.add(t);
          chars += t.length();
        }
      }
    }
    String[] presets = {"datatrove-2024", "datatrove-0.10"};
    QualityPipeline[] pipelines = new QualityPipeline[2];
    for (int p = 0; p < 2; p++) {
      QualityConfig q = new QualityConfig();
      q.preset = presets[p];
      q.order = "fineweb";
      pipelines[p] = new QualityPipeline(q);
    }
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    int[] kept = new int[2];
    // warm-up: one pass each, not counted
    for (int p = 0; p < 2; p++) {
      kept[p] = pass(pipelines[p], texts);
    }
    double[][] seconds = new double[2][2 * rounds];
    int[] n = new int[2];
    for (int r = 0; r < rounds; r++) {
      int[] order = {0, 1, 1, 0};
      for (int p : order) {
        long t0 = mx.getCurrentThreadCpuTime();
        int k = pass(pipelines[p], texts);
        seconds[p][n[p]++] = (mx.getCurrentThreadCpuTime() - t0) / 1e9;
        if (k != kept[p]) {
          throw new IllegalStateException("preset " + presets[p] + " kept a different number");
        }
      }
    }
    double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    StringBuilder md = new StringBuilder();
    md.append("# Quality filters: speed per preset\n\n")
        .append(LocalDate.now())
        .append(", ")
        .append(BenchEnv.machine())
        .append(
            String.format(
                ". All %,d documents of `../shared/corpora` (%,d characters, raw text), FineWeb"
                    + " order, every filter on with its defaults, `QualityPipeline.apply` on one"
                    + " thread; CPU seconds of that thread per pass, %d passes per preset in ABBA"
                    + " order after one warm-up pass each (`QualityPresetSpeedBenchmark`); load"
                    + " average %.2f at the start, %.2f at the end.%n%n",
                texts.size(), chars, 2 * rounds, loadBefore, loadAfter))
        .append(
            "| preset | kept | CPU s per pass (min / median / max) | docs per CPU-second (best) |\n")
        .append("|---|---|---|---|\n");
    double[] best = new double[2];
    double[] median = new double[2];
    for (int p = 0; p < 2; p++) {
      double[] s = seconds[p].clone();
      Arrays.sort(s);
      best[p] = s[0];
      median[p] = (s[(s.length - 1) / 2] + s[s.length / 2]) / 2;
      md.append(
          String.format(
              "| `%s` | %,d | %.2f / %.2f / %.2f | %,.0f |%n",
              presets[p], kept[p], s[0], median[p], s[s.length - 1], texts.size() / s[0]));
    }
    md.append(
        String.format(
            "%n`datatrove-0.10` against `datatrove-2024`: %+.1f%% CPU time (best pass), %+.1f%%"
                + " (median pass).%n",
            100 * (best[1] / best[0] - 1), 100 * (median[1] / median[0] - 1)));
    Path out = BenchEnv.result("quality-presets-speed.md");
    Files.writeString(out, md.toString());
    System.out.println(md);
  }

  private static int pass(QualityPipeline pipeline, List<String> texts) {
    int kept = 0;
    for (String t : texts) {
      if (pipeline.apply(t) instanceof FilterOutcome.Kept) {
        kept++;
      }
    }
    return kept;
  }
}
