package dev.winnow.prompt.llmlingua;

import dev.winnow.prompt.model.ProxyLm;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Orders contexts (documents, demonstrations) by how useful they look, as LLMLingua's {@code
 * get_rank_results} does for the methods that need no outside service:
 *
 * <ul>
 *   <li>{@code llmlingua}: perplexity of the context alone, highest first (hard-to-predict text
 *       carries more information).
 *   <li>{@code longllmlingua}: perplexity of the question (followed by "We can get the answer to
 *       this question in the given documents.") after the context, lowest first: the context that
 *       best predicts the question ranks first (LongLLMLingua, §3.1).
 *   <li>{@code bm25}: Okapi BM25 (k1 1.5, b 0.75, ε 0.25, as the {@code rank_bm25} package the
 *       reference calls) over space-split words, highest first.
 *   <li>{@code gzip}: normalized compression distance, smallest first.
 * </ul>
 */
final class ContextRanker {
  static final String QUESTION_SUFFIX =
      " We can get the answer to this question in the given documents.";

  private final ProxyLm lm;

  ContextRanker(ProxyLm lm) {
    this.lm = lm;
  }

  /** Context indices, best first. */
  int[] rank(List<String> context, String question, String rankMethod, String condition) {
    switch (rankMethod) {
      case "llmlingua":
      case "longllmlingua":
        {
          float[] ppl = conditionPpls(context, question + QUESTION_SUFFIX, condition);
          int direction = "none".equals(condition) ? -1 : 1;
          return order(ppl.length, i -> direction * ppl[i]);
        }
      case "bm25":
        {
          double[] scores = bm25(context, question);
          return order(scores.length, i -> -scores[i]);
        }
      case "gzip":
        {
          double[] scores = new double[context.size()];
          for (int i = 0; i < scores.length; i++) {
            scores[i] = gzipDistance(context.get(i), question);
          }
          return order(scores.length, i -> scores[i]);
        }
      default:
        throw new IllegalArgumentException("rank_method: unsupported value \"" + rankMethod + "\"");
    }
  }

  /**
   * {@code get_condition_ppl}: mean loss of {@code text} ({@code none}), or of the question's
   * tokens after the text ({@code after}) or of the text's tokens after the question ({@code
   * before}).
   */
  float conditionPpl(String text, String question, String condition) {
    return conditionPpls(List.of(text), question, condition)[0];
  }

  /** {@link #conditionPpl} of every text, scored in one engine call. */
  float[] conditionPpls(List<String> texts, String question, String condition) {
    List<int[]> ids = new ArrayList<>(texts.size());
    int[] from = new int[texts.size()];
    for (int i = 0; i < from.length; i++) {
      String text = texts.get(i);
      switch (condition) {
        case "none":
          ids.add(lm.encode(text));
          break;
        case "before":
          ids.add(lm.encode(question + text));
          from[i] = lm.tokenLength(question) - 1;
          break;
        case "after":
          ids.add(lm.encode(text + question));
          from[i] = lm.tokenLength(text) - 1;
          break;
        default:
          throw new IllegalArgumentException(
              "condition_in_question: unsupported value \"" + condition + "\"");
      }
    }
    List<float[]> losses = lm.lossesAll(ids);
    float[] out = new float[from.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = meanFrom(losses.get(i), from[i]);
    }
    return out;
  }

  private static float meanFrom(float[] loss, int from) {
    int a = PySlice.bound(from, loss.length);
    if (a >= loss.length) {
      return Float.NaN;
    }
    double sum = 0;
    for (int i = a; i < loss.length; i++) {
      sum += loss[i];
    }
    return (float) (sum / (loss.length - a));
  }

  private interface Key {
    double of(int i);
  }

  /** Indices sorted by key ascending, ties in index order (Python's stable sort). */
  private static int[] order(int n, Key key) {
    Integer[] idx = new Integer[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, Comparator.comparingDouble(key::of));
    return Arrays.stream(idx).mapToInt(Integer::intValue).toArray();
  }

  static double[] bm25(List<String> corpus, String query) {
    double k1 = 1.5;
    double b = 0.75;
    double epsilon = 0.25;
    List<Map<String, Integer>> tf = new ArrayList<>();
    Map<String, Integer> df = new HashMap<>();
    int[] docLength = new int[corpus.size()];
    long totalLength = 0;
    for (String doc : corpus) {
      String[] words = doc.split(" ", -1);
      docLength[tf.size()] = words.length;
      totalLength += words.length;
      Map<String, Integer> freq = new HashMap<>();
      for (String w : words) {
        freq.merge(w, 1, Integer::sum);
      }
      for (String w : freq.keySet()) {
        df.merge(w, 1, Integer::sum);
      }
      tf.add(freq);
    }
    int n = corpus.size();
    double avgdl = (double) totalLength / n;
    Map<String, Double> idf = new HashMap<>();
    double idfSum = 0;
    List<String> negative = new ArrayList<>();
    for (Map.Entry<String, Integer> e : df.entrySet()) {
      double v = Math.log(n - e.getValue() + 0.5) - Math.log(e.getValue() + 0.5);
      idf.put(e.getKey(), v);
      idfSum += v;
      if (v < 0) {
        negative.add(e.getKey());
      }
    }
    double eps = epsilon * idfSum / idf.size();
    for (String w : negative) {
      idf.put(w, eps);
    }
    double[] scores = new double[n];
    for (String q : query.split(" ", -1)) {
      for (int d = 0; d < n; d++) {
        double f = tf.get(d).getOrDefault(q, 0);
        scores[d] +=
            idf.getOrDefault(q, 0.0)
                * (f * (k1 + 1) / (f + k1 * (1 - b + b * docLength[d] / avgdl)));
      }
    }
    return scores;
  }

  static double gzipDistance(String x, String y) {
    int cx = gzipLength(x);
    int cy = gzipLength(y);
    int cxy = gzipLength(x + " " + y);
    return (double) (cxy - Math.min(cx, cy)) / Math.max(cx, cy);
  }

  private static int gzipLength(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(s.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.size();
  }
}
