package dev.winnow.kernels.fold;

import dev.winnow.kernels.cpu.MatrixProducts;
import dev.winnow.kernels.cpu.WorkerPool;
import dev.winnow.kernels.engine.EngineOptions;
import dev.winnow.kernels.engine.ScoringEngines;
import dev.winnow.kernels.model.ModelWeights;
import dev.winnow.kernels.scoring.DocumentScore;
import dev.winnow.kernels.scoring.DocumentScorer;
import dev.winnow.kernels.scoring.ScoringEngine;
import dev.winnow.kernels.tokenizer.Tokenizer;
import dev.winnow.kernels.train.TrainableModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * How faithfully a folded model scores like its original, on held-out documents.
 *
 * @param documents held-out documents scored
 * @param tokens their tokens (each cut to the evaluation's limit)
 * @param depthBefore blocks of the original
 * @param depthAfter blocks of the folded model
 * @param parametersBefore parameters of the original
 * @param parametersAfter parameters of the folded model, shared weights counted once
 * @param blockParametersBefore parameters in the original's blocks
 * @param blockParametersAfter parameters in the folded model's blocks, shared counted once
 * @param perplexityBefore token-weighted held-out perplexity of the original
 * @param perplexityAfter the same for the folded model
 * @param spearman Spearman correlation of per-document mean NLL, folded against original
 * @param kendall Kendall's tau-b of the same
 * @param bySource per {@code source}: {documents, spearman, kendall}
 * @param overlap30 of the 30% of documents the original scores lowest, the share the folded model
 *     also puts in its lowest 30% (the set a perplexity filter keeps at that budget)
 * @param overlap50 the same at 50%
 * @param meanTokenKl mean over positions of KL(original ‖ folded) next-token distributions (nats)
 * @param tokensPerSecondBefore scoring throughput of the original on these documents
 * @param tokensPerSecondAfter the same for the folded model
 * @param weightBytesBefore float32 bytes of the original's weights in memory
 * @param weightBytesAfter the same for the folded model (shared once)
 * @param meanNllBefore per document, the original's mean NLL (for further comparisons)
 * @param meanNllAfter per document, the folded model's
 */
public record Fidelity(
    int documents,
    long tokens,
    int depthBefore,
    int depthAfter,
    long parametersBefore,
    long parametersAfter,
    long blockParametersBefore,
    long blockParametersAfter,
    double perplexityBefore,
    double perplexityAfter,
    double spearman,
    double kendall,
    Map<String, double[]> bySource,
    double overlap30,
    double overlap50,
    double meanTokenKl,
    double tokensPerSecondBefore,
    double tokensPerSecondAfter,
    long weightBytesBefore,
    long weightBytesAfter,
    double[] meanNllBefore,
    double[] meanNllAfter) {

  /** A held-out document. */
  public record Document(String id, String source, String text) {}

  /** {@code perplexityAfter / perplexityBefore − 1}. */
  public double perplexityIncrease() {
    return perplexityAfter / perplexityBefore - 1;
  }

  /**
   * Scores {@code docs} (each cut to {@code maxTokens} tokens) with both models on engines of
   * {@code options}, and the token KL on up to {@code klSequences} packed sequences of 256 tokens.
   */
  public static Fidelity measure(
      ModelWeights original,
      ModelWeights folded,
      Tokenizer tokenizer,
      List<Document> docs,
      int maxTokens,
      EngineOptions options,
      int klSequences,
      MatrixProducts products,
      WorkerPool pool) {
    List<int[]> tokens = new ArrayList<>();
    long total = 0;
    for (Document d : docs) {
      int[] ids = tokenizer.encode(d.text());
      if (ids.length > maxTokens) {
        ids = Arrays.copyOf(ids, maxTokens);
      }
      tokens.add(ids);
      total += ids.length;
    }
    int[] words = new int[docs.size()];
    double[] tpsBefore = new double[1];
    double[] tpsAfter = new double[1];
    double[] before = score(original, tokens, words, options, tpsBefore);
    double[] after = score(folded, tokens, words, options, tpsAfter);
    double ppl0 = perplexity(before, tokens);
    double ppl1 = perplexity(after, tokens);
    Map<String, List<Integer>> sources = new LinkedHashMap<>();
    for (int i = 0; i < docs.size(); i++) {
      if (!Double.isNaN(before[i])) {
        sources.computeIfAbsent(docs.get(i).source(), k -> new ArrayList<>()).add(i);
      }
    }
    List<Integer> all =
        IntStream.range(0, docs.size()).filter(i -> !Double.isNaN(before[i])).boxed().toList();
    Map<String, double[]> bySource = new LinkedHashMap<>();
    for (Map.Entry<String, List<Integer>> e : sources.entrySet()) {
      double[] a = pick(before, e.getValue());
      double[] b = pick(after, e.getValue());
      bySource.put(e.getKey(), new double[] {a.length, spearman(a, b), kendall(a, b)});
    }
    double[] a = pick(before, all);
    double[] b = pick(after, all);
    double kl = tokenKl(original, folded, tokenizer, docs, klSequences, products, pool);
    return new Fidelity(
        all.size(),
        total,
        original.config().layers(),
        folded.config().layers(),
        parameters(original),
        parameters(folded),
        blockParameters(original),
        blockParameters(folded),
        ppl0,
        ppl1,
        spearman(a, b),
        kendall(a, b),
        bySource,
        overlap(a, b, 0.3),
        overlap(a, b, 0.5),
        kl,
        tpsBefore[0],
        tpsAfter[0],
        original.floatCount() * 4,
        folded.floatCount() * 4,
        before,
        after);
  }

  /** Parameters, shared arrays once, a tied head once (it is held twice: embedding and head). */
  public static long parameters(ModelWeights w) {
    return w.floatCount() - (w.config().tiedHead() ? w.head().length : 0);
  }

  /** Parameters in the blocks, an array shared by blocks counted once. */
  static long blockParameters(ModelWeights w) {
    long outside =
        w.tokenEmbedding().length
            + (w.positionEmbedding() == null ? 0 : w.positionEmbedding().length)
            + w.finalNormWeight().length
            + (w.finalNormBias() == null ? 0 : w.finalNormBias().length)
            + (w.config().tiedHead() ? 0 : w.head().length);
    // floatCount counts the head even when tied (it holds the transposed copy)
    long head = w.config().tiedHead() ? w.head().length : 0;
    return w.floatCount() - outside - head;
  }

  private static double[] score(
      ModelWeights w, List<int[]> tokens, int[] words, EngineOptions options, double[] tps) {
    try (ScoringEngine engine = ScoringEngines.open(w, options, "fold fidelity")) {
      DocumentScorer scorer =
          new DocumentScorer(
              engine,
              null,
              Math.min(engine.contextLength(), 1024),
              Math.min(engine.contextLength(), 1024) / 2,
              DocumentScorer.DEFAULT_BATCH_TOKENS);
      scorer.scoreTokens(tokens.subList(0, Math.min(4, tokens.size())), new int[4]); // warm-up
      long t0 = System.nanoTime();
      List<DocumentScore> scores = scorer.scoreTokens(tokens, words);
      double seconds = (System.nanoTime() - t0) / 1e9;
      long n = tokens.stream().mapToLong(t -> t.length).sum();
      tps[0] = n / seconds;
      double[] out = new double[tokens.size()];
      for (int i = 0; i < out.length; i++) {
        DocumentScore s = scores.get(i);
        out[i] = s.scoredTokens() == 0 ? Double.NaN : s.meanNll();
      }
      return out;
    }
  }

  private static double perplexity(double[] meanNll, List<int[]> tokens) {
    double sum = 0;
    long n = 0;
    for (int i = 0; i < meanNll.length; i++) {
      if (!Double.isNaN(meanNll[i])) {
        int scored = tokens.get(i).length - 1;
        sum += meanNll[i] * scored;
        n += scored;
      }
    }
    return Math.exp(sum / n);
  }

  private static double tokenKl(
      ModelWeights original,
      ModelWeights folded,
      Tokenizer tokenizer,
      List<Document> docs,
      int sequences,
      MatrixProducts products,
      WorkerPool pool) {
    TokenBatches packed =
        TokenBatches.pack(docs.stream().map(Document::text).toList(), tokenizer, 256);
    if (packed.size() == 0 || sequences == 0) {
      return Double.NaN;
    }
    List<int[][]> batches = packed.head((long) sequences * 256, 4);
    TrainableModel t = new TrainableModel(original, null, products, pool);
    TrainableModel s = new TrainableModel(folded, null, products, pool);
    int v = original.config().vocabSize();
    double sum = 0;
    long rows = 0;
    for (int[][] ids : batches) {
      float[] p = t.logits(ids);
      float[] q = s.logits(ids);
      int n = ids.length * ids[0].length;
      for (int r = 0; r < n; r++) {
        sum += klRow(p, q, r * v, v);
      }
      rows += n;
    }
    return sum / rows;
  }

  private static double klRow(float[] p, float[] q, int o, int v) {
    double lp = lse(p, o, v);
    double lq = lse(q, o, v);
    double kl = 0;
    for (int j = 0; j < v; j++) {
      double a = p[o + j] - lp;
      kl += Math.exp(a) * (a - (q[o + j] - lq));
    }
    return kl;
  }

  private static double lse(float[] z, int o, int n) {
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < n; j++) {
      max = Math.max(max, z[o + j]);
    }
    double sum = 0;
    for (int j = 0; j < n; j++) {
      sum += Math.exp(z[o + j] - max);
    }
    return max + Math.log(sum);
  }

  private static double[] pick(double[] v, List<Integer> idx) {
    return idx.stream().mapToDouble(i -> v[i]).toArray();
  }

  /** Average ranks (ties share the mean rank). */
  static double[] ranks(double[] v) {
    Integer[] order = IntStream.range(0, v.length).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble(i -> v[i]));
    double[] r = new double[v.length];
    int i = 0;
    while (i < order.length) {
      int j = i;
      while (j + 1 < order.length && v[order[j + 1]] == v[order[i]]) {
        j++;
      }
      double rank = (i + j) / 2.0 + 1;
      for (int k = i; k <= j; k++) {
        r[order[k]] = rank;
      }
      i = j + 1;
    }
    return r;
  }

  /** Spearman's rho: Pearson correlation of the average ranks; NaN under 2 values. */
  public static double spearman(double[] a, double[] b) {
    if (a.length < 2) {
      return Double.NaN;
    }
    return pearson(ranks(a), ranks(b));
  }

  static double pearson(double[] a, double[] b) {
    double ma = Arrays.stream(a).average().orElse(0);
    double mb = Arrays.stream(b).average().orElse(0);
    double sab = 0;
    double saa = 0;
    double sbb = 0;
    for (int i = 0; i < a.length; i++) {
      sab += (a[i] - ma) * (b[i] - mb);
      saa += (a[i] - ma) * (a[i] - ma);
      sbb += (b[i] - mb) * (b[i] - mb);
    }
    return sab / Math.sqrt(saa * sbb);
  }

  /** Kendall's tau-b (ties in either variable corrected), O(n²); NaN under 2 values. */
  public static double kendall(double[] a, double[] b) {
    if (a.length < 2) {
      return Double.NaN;
    }
    long concordant = 0;
    long discordant = 0;
    long tieA = 0;
    long tieB = 0;
    for (int i = 0; i < a.length; i++) {
      for (int j = i + 1; j < a.length; j++) {
        double da = Math.signum(a[i] - a[j]);
        double db = Math.signum(b[i] - b[j]);
        if (da == 0 && db == 0) {
          continue;
        } else if (da == 0) {
          tieA++;
        } else if (db == 0) {
          tieB++;
        } else if (da == db) {
          concordant++;
        } else {
          discordant++;
        }
      }
    }
    double n0 = concordant + discordant;
    return (concordant - discordant) / Math.sqrt((n0 + tieA) * (n0 + tieB));
  }

  /**
   * Of the {@code share} of items with the lowest {@code a}, the fraction that are also among the
   * {@code share} with the lowest {@code b}.
   */
  public static double overlap(double[] a, double[] b, double share) {
    int k = (int) Math.round(a.length * share);
    if (k == 0) {
      return Double.NaN;
    }
    Set<Integer> lowA = new HashSet<>(lowest(a, k));
    int both = 0;
    for (int i : lowest(b, k)) {
      if (lowA.contains(i)) {
        both++;
      }
    }
    return (double) both / k;
  }

  private static List<Integer> lowest(double[] v, int k) {
    return IntStream.range(0, v.length)
        .boxed()
        .sorted(Comparator.<Integer>comparingDouble(i -> v[i]).thenComparing(i -> i))
        .limit(k)
        .toList();
  }
}
