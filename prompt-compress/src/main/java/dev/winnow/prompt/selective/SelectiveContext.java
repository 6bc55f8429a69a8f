package dev.winnow.prompt.selective;

import dev.winnow.prompt.CompressionRequest;
import dev.winnow.prompt.CompressionResult;
import dev.winnow.prompt.model.ProxyLm;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Selective Context: drops the lexical units (tokens, words or sentences) that carry the least
 * self-information under a small language model.
 *
 * <p>Li, Dong, Guerin, Lin, "Compressing Context to Enhance Inference Efficiency of Large Language
 * Models", EMNLP 2023. The self-information of a unit is the sum over its tokens of {@code −ln
 * p(x_i | x_<i)} ({@link SelfInformation}); units below the {@code p}-th percentile of the units'
 * self-information, {@code p = 100 × (1 − rate)}, are dropped (numpy's linear percentile, as the
 * paper's code). Because the percentile counts units and not tokens, Winnow then drops further
 * units, least informative first, until the kept tokens meet the budget.
 *
 * <p>The budget is in the proxy model's tokens of the context alone (the contexts joined with
 * {@code "\n\n"}, scored as one text): {@code target_token} when given, else {@code rate} × the
 * context's tokens. A token belongs to the unit holding its first non-whitespace character;
 * whitespace-only tokens belong to no unit and are always counted as kept. The instruction and the
 * question are added before and after, uncompressed, as LLMLingua does.
 *
 * <p>Text is cut only at unit boundaries, so a word (in {@code word} and {@code sentence} units) or
 * a UTF-8 character (in every unit) is never cut. Where units are dropped, the whitespace around
 * them collapses to the one gap that holds the most line breaks (so paragraphs stay apart); the
 * compressed context is stripped of leading and trailing whitespace.
 *
 * <pre>{@code
 * CompressionRequest request = new CompressionRequest();
 * request.method = "selective_context";
 * request.context = List.of(article);
 * request.rate = 0.5;
 * request.lexicalUnit = "word";
 * CompressionResult result = new SelectiveContext(lm).compress(request.validate());
 * }</pre>
 */
public final class SelectiveContext {
  private final ProxyLm lm;
  private final SelfInformation selfInformation;

  public SelectiveContext(ProxyLm lm) {
    this(lm, new SelfInformation(lm));
  }

  SelectiveContext(ProxyLm lm, SelfInformation selfInformation) {
    this.lm = lm;
    this.selfInformation = selfInformation;
  }

  /**
   * Compresses a validated request; {@code rate}/{@code target_token} and {@code lexical_unit}
   * apply.
   */
  public CompressionResult compress(CompressionRequest r) {
    List<String> whole = new ArrayList<>();
    whole.add(r.instruction);
    whole.addAll(r.context);
    whole.add(r.question);
    int originTokens = lm.oaiTokens(String.join("\n\n", whole).strip());

    String text = String.join("\n\n", r.context);
    Selection selection =
        select(text, r.lexicalUnit.toLowerCase(Locale.ROOT), r.rate, r.targetToken);
    String compressed = selection.text();

    List<String> parts = new ArrayList<>();
    if (!r.instruction.isEmpty()) {
      parts.add(r.instruction);
    }
    if (!compressed.isEmpty()) {
      parts.add(compressed);
    }
    if (!r.question.isEmpty() && r.concateQuestion) {
      parts.add(r.question);
    }
    String prompt = String.join("\n\n", parts);
    return CompressionResult.of(
        prompt, originTokens, lm.oaiTokens(prompt), "selective_context", "words");
  }

  /**
   * What was decided on one text: the units, their tokens and self-information, the percentile
   * threshold, which units are kept, the budget and the compressed text.
   */
  record Selection(
      String source,
      List<int[]> units,
      int[] unitTokens,
      double[] unitInfo,
      double threshold,
      boolean[] kept,
      int totalTokens,
      double budget) {
    int keptTokens() {
      int dropped = 0;
      for (int u = 0; u < kept.length; u++) {
        dropped += kept[u] ? 0 : unitTokens[u];
      }
      return totalTokens - dropped;
    }

    /** The kept units with the whitespace between them, collapsed where units were dropped. */
    String text() {
      StringBuilder out = new StringBuilder();
      String gap = null;
      int prevEnd = 0;
      for (int u = 0; u < units.size(); u++) {
        int[] span = units.get(u);
        String before = source.substring(prevEnd, span[0]);
        gap = gap == null ? before : strongerGap(gap, before);
        if (kept[u]) {
          out.append(gap).append(source, span[0], span[1]);
          gap = null;
        }
        prevEnd = span[1];
      }
      return out.toString().strip();
    }

    private static String strongerGap(String a, String b) {
      return newlines(b) > newlines(a) ? b : a;
    }

    private static long newlines(String s) {
      return s.chars().filter(c -> c == '\n').count();
    }
  }

  /** Scores {@code text} and chooses the units to keep. */
  Selection select(String text, String unit, double rate, double targetToken) {
    int[] ids = lm.encode(text);
    int[] tokenStarts = TokenSpans.starts(lm, ids, text);
    List<int[]> units = LexicalUnits.of(unit, text, tokenStarts);
    double[] info = selfInformation.of(ids);
    int[] unitTokens = new int[units.size()];
    double[] unitInfo = new double[units.size()];
    int end = text.length();
    for (int t = ids.length - 1; t >= 0; t--) {
      if (t + 1 < ids.length && tokenStarts[t + 1] != tokenStarts[t]) {
        end = tokenStarts[t + 1];
      }
      // every token of a group that makes whole characters shares the group's span
      int u = unitOf(units, firstNonWhitespace(text, tokenStarts[t], end));
      if (u >= 0) {
        unitTokens[u]++;
        unitInfo[u] += info[t];
      }
    }
    double budget = targetToken > 0 ? targetToken : rate * ids.length;
    double keepRate = ids.length == 0 ? 1 : Math.min(1, budget / ids.length);
    boolean[] kept = new boolean[units.size()];
    Arrays.fill(kept, true);
    double threshold = percentile(unitInfo, 100 * (1 - keepRate));
    Integer[] ascending = new Integer[units.size()];
    for (int u = 0; u < ascending.length; u++) {
      ascending[u] = u;
    }
    Arrays.sort(ascending, Comparator.comparingDouble(u -> unitInfo[u]));
    int keptTokens = ids.length;
    for (int u : ascending) {
      if (unitInfo[u] < threshold || keptTokens > budget) {
        kept[u] = false;
        keptTokens -= unitTokens[u];
      }
    }
    return new Selection(text, units, unitTokens, unitInfo, threshold, kept, ids.length, budget);
  }

  private static int firstNonWhitespace(String text, int from, int to) {
    for (int i = from; i < to; i++) {
      if (!Character.isWhitespace(text.charAt(i))) {
        return i;
      }
    }
    return -1;
  }

  /** Index of the unit holding character {@code c}, or −1. */
  private static int unitOf(List<int[]> units, int c) {
    if (c < 0) {
      return -1;
    }
    int lo = 0;
    int hi = units.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int[] span = units.get(mid);
      if (c < span[0]) {
        hi = mid - 1;
      } else if (c >= span[1]) {
        lo = mid + 1;
      } else {
        return mid;
      }
    }
    return -1;
  }

  /** numpy's {@code percentile(values, q)} with linear interpolation; −∞ for no values. */
  static double percentile(double[] values, double q) {
    if (values.length == 0) {
      return Double.NEGATIVE_INFINITY;
    }
    double[] v = values.clone();
    Arrays.sort(v);
    double pos = q / 100 * (v.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(lo + 1, v.length - 1);
    return v[lo] + (pos - lo) * (v[hi] - v[lo]);
  }
}
