package dev.winnow.jobs.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.winnow.kernels.fold.BlockAnalysis;
import dev.winnow.kernels.fold.Fidelity;
import dev.winnow.kernels.fold.FoldMethod;
import dev.winnow.kernels.fold.FoldResult;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.LookupPaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.DefaultXYZDataset;

/**
 * fold.json's fidelity section, fold-report.md and the similarity heatmap of {@code winnow fold}.
 */
final class FoldReport {
  private static final ObjectMapper JSON = new ObjectMapper();

  private FoldReport() {}

  static String summaryLine(FoldMethod m, Fidelity f) {
    return String.format(
        Locale.ROOT,
        "%s: %d -> %d blocks, held-out ppl %.2f -> %.2f (%+.1f%%), Spearman %.4f, Kendall %.4f,"
            + " kept-set overlap %.3f / %.3f at 30%% / 50%%, token KL %.4f",
        m.id(),
        f.depthBefore(),
        f.depthAfter(),
        f.perplexityBefore(),
        f.perplexityAfter(),
        f.perplexityIncrease() * 100,
        f.spearman(),
        f.kendall(),
        f.overlap30(),
        f.overlap50(),
        f.meanTokenKl());
  }

  static ObjectNode fidelityJson(Fidelity f, Map<String, Double> lingua) {
    ObjectNode o = JSON.createObjectNode();
    o.put("documents", f.documents()).put("tokens", f.tokens());
    o.put("depth_before", f.depthBefore()).put("depth_after", f.depthAfter());
    o.put("parameters_before", f.parametersBefore()).put("parameters_after", f.parametersAfter());
    o.put("block_parameters_before", f.blockParametersBefore())
        .put("block_parameters_after", f.blockParametersAfter());
    o.put("perplexity_before", f.perplexityBefore()).put("perplexity_after", f.perplexityAfter());
    o.put("perplexity_increase", f.perplexityIncrease());
    o.put("spearman", f.spearman()).put("kendall", f.kendall());
    ObjectNode by = o.putObject("by_source");
    for (Map.Entry<String, double[]> e : f.bySource().entrySet()) {
      by.putObject(e.getKey())
          .put("documents", (int) e.getValue()[0])
          .put("spearman", e.getValue()[1])
          .put("kendall", e.getValue()[2]);
    }
    o.put("kept_overlap_30", f.overlap30()).put("kept_overlap_50", f.overlap50());
    o.put("mean_token_kl", f.meanTokenKl());
    o.put("tokens_per_second_before", f.tokensPerSecondBefore())
        .put("tokens_per_second_after", f.tokensPerSecondAfter());
    o.put("weight_bytes_before", f.weightBytesBefore())
        .put("weight_bytes_after", f.weightBytesAfter());
    if (lingua != null) {
      ObjectNode l = o.putObject("llmlingua_kept_word_overlap_rate_0_5");
      lingua.forEach(l::put);
    }
    return o;
  }

  /** The all-pairs cosine similarity of block outputs as a heatmap. */
  static void writeHeatmap(Path file, BlockAnalysis a) throws IOException {
    System.setProperty("java.awt.headless", "true");
    double[][] s = a.outputSimilarity();
    int n = s.length;
    double[] x = new double[n * n];
    double[] y = new double[n * n];
    double[] z = new double[n * n];
    double min = 1;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        x[i * n + j] = j;
        y[i * n + j] = i;
        z[i * n + j] = s[i][j];
        min = Math.min(min, s[i][j]);
      }
    }
    DefaultXYZDataset data = new DefaultXYZDataset();
    data.addSeries("similarity", new double[][] {x, y, z});
    double lo = Math.floor(min * 10) / 10;
    LookupPaintScale scale = new LookupPaintScale(lo, 1.0001, Color.WHITE);
    int steps = 20;
    for (int k = 0; k < steps; k++) {
      double v = lo + (1 - lo) * k / steps;
      float t = (float) k / (steps - 1);
      scale.add(v, new Color(1f - 0.8f * t, 1f - 0.6f * t, 1f - 0.2f * t));
    }
    XYBlockRenderer r = new XYBlockRenderer();
    r.setPaintScale(scale);
    NumberAxis xa = new NumberAxis("block (output)");
    NumberAxis ya = new NumberAxis("block (output)");
    xa.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    ya.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    xa.setRange(-0.5, n - 0.5);
    ya.setRange(-0.5, n - 0.5);
    ya.setInverted(true);
    XYPlot plot = new XYPlot(data, xa, ya, r);
    JFreeChart chart = new JFreeChart("Cosine similarity of block outputs", plot);
    chart.removeLegend();
    NumberAxis sa = new NumberAxis("cos");
    sa.setRange(lo, 1);
    PaintScaleLegend legend = new PaintScaleLegend(scale, sa);
    legend.setPosition(RectangleEdge.RIGHT);
    chart.addSubtitle(legend);
    chart.setBackgroundPaint(Color.WHITE);
    ChartUtils.saveChartAsPNG(file.toFile(), chart, 640, 560);
  }

  static String markdown(
      Path source,
      FoldResult r,
      Fidelity f,
      Map<String, Double> lingua,
      Map<FoldMethod, Fidelity> comparison,
      Map<FoldMethod, FoldResult> runs) {
    StringBuilder md = new StringBuilder();
    md.append("# Fold report\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "Source `%s`, %d → %d blocks, method `%s`, removed blocks %s, shared groups %s (folded"
                + " positions; leaders %s), %d distillation steps; fold wall time %.0f s.\n\n",
            source.getFileName(),
            f.depthBefore(),
            f.depthAfter(),
            r.settings().method().id(),
            r.removal().removed(),
            r.sharing().groups(),
            r.sharing().leaders(),
            r.distillation() == null ? 0 : r.distillation().losses().length,
            r.seconds()));
    md.append("Held-out: ")
        .append(f.documents())
        .append(" documents, ")
        .append(f.tokens())
        .append(" tokens.\n\n");
    md.append("| | original | folded |\n|---|---|---|\n");
    md.append(row("blocks", f.depthBefore(), f.depthAfter()));
    md.append(row("parameters (shared once)", f.parametersBefore(), f.parametersAfter()));
    md.append(row("block parameters", f.blockParametersBefore(), f.blockParametersAfter()));
    md.append(
        String.format(
            Locale.ROOT,
            "| held-out perplexity | %.3f | %.3f (%+.2f%%) |\n",
            f.perplexityBefore(),
            f.perplexityAfter(),
            f.perplexityIncrease() * 100));
    md.append(
        String.format(
            Locale.ROOT,
            "| scoring tokens/s | %.0f | %.0f (%.2f×) |\n",
            f.tokensPerSecondBefore(),
            f.tokensPerSecondAfter(),
            f.tokensPerSecondAfter() / f.tokensPerSecondBefore()));
    md.append(
        String.format(
            Locale.ROOT,
            "| weights in memory, MB | %.1f | %.1f |\n\n",
            f.weightBytesBefore() / 1e6,
            f.weightBytesAfter() / 1e6));
    md.append(
        String.format(
            Locale.ROOT,
            "Per-document mean NLL, folded against original: Spearman %.4f, Kendall %.4f;"
                + " kept-set overlap %.3f at a 30%% budget, %.3f at 50%%; mean token KL %.4f"
                + " nats.\n\n",
            f.spearman(),
            f.kendall(),
            f.overlap30(),
            f.overlap50(),
            f.meanTokenKl()));
    md.append("| corpus (input file) | documents | Spearman | Kendall |\n|---|---|---|---|\n");
    for (Map.Entry<String, double[]> e : f.bySource().entrySet()) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %.4f | %.4f |\n",
              e.getKey(),
              (int) e.getValue()[0],
              e.getValue()[1],
              e.getValue()[2]));
    }
    if (lingua != null) {
      md.append(
          String.format(
              Locale.ROOT,
              "\nLLMLingua (words mode, rate 0.5) on the %d longest held-out documents: the folded"
                  + " model keeps %.3f of the words the original keeps (mean).\n",
              lingua.size() - 1,
              lingua.get("mean")));
    }
    if (!comparison.isEmpty()) {
      md.append("\n## Methods at the same depth\n\n");
      md.append(
          "| method | removed | distillation tokens | ppl | Δppl | Spearman | Kendall | overlap 30% |"
              + " overlap 50% | token KL |\n|---|---|---|---|---|---|---|---|---|---|\n");
      md.append(cmpRow(r.settings().method(), r, f));
      for (Map.Entry<FoldMethod, Fidelity> e : comparison.entrySet()) {
        md.append(cmpRow(e.getKey(), runs.get(e.getKey()), e.getValue()));
      }
    }
    md.append("\n## Analysis\n\n| block | BI | removal cost (ΔNLL) |");
    if (r.removal().gates() != null) {
      md.append(" gate |");
    }
    md.append("\n|---|---|---|").append(r.removal().gates() != null ? "---|" : "").append('\n');
    BlockAnalysis a = r.analysis();
    for (int l = 0; l < a.blockInfluence().length; l++) {
      md.append(
          String.format(
              Locale.ROOT, "| %d | %.4f | %.4f |", l, a.blockInfluence()[l], a.removalCost()[l]));
      if (r.removal().gates() != null) {
        md.append(String.format(Locale.ROOT, " %.4f |", r.removal().gates()[l]));
      }
      md.append('\n');
    }
    md.append("\n![cosine similarity of block outputs](fold-similarity.png)\n");
    return md.toString();
  }

  private static String row(String what, long a, long b) {
    return String.format(Locale.ROOT, "| %s | %,d | %,d |\n", what, a, b);
  }

  private static String cmpRow(FoldMethod m, FoldResult r, Fidelity f) {
    return String.format(
        Locale.ROOT,
        "| %s | %s | %,d | %.3f | %+.2f%% | %.4f | %.4f | %.3f | %.3f | %.4f |\n",
        m.id(),
        r.removal().removed(),
        r.settings().trainTokens(),
        f.perplexityAfter(),
        f.perplexityIncrease() * 100,
        f.spearman(),
        f.kendall(),
        f.overlap30(),
        f.overlap50(),
        f.meanTokenKl());
  }
}
