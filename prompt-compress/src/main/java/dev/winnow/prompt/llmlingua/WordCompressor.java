package dev.winnow.prompt.llmlingua;

import dev.winnow.kernels.scoring.ScoringSession;
import dev.winnow.prompt.model.ProxyLm;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Words mode of LLMLingua's token-level step: the same idea (windows scored by the small model
 * conditioned on the compressed text before them, LongLLMLingua's contrast with the question when
 * asked, per-context dynamic ratios) with three fixes over the reference:
 *
 * <ol>
 *   <li>Decisions are taken per {@link WordUnits word unit}, never inside a word or a UTF-8
 *       character; a unit's score is the mean score of its tokens, and a token is scored by its own
 *       loss (the reference keeps token {@code i} by the loss of token {@code i + 1}).
 *   <li>The budget is met: each context gets {@code round(tokens × ratio)} tokens, spent window by
 *       window with the shortfall carried forward, so the kept count of a context is within one
 *       word of its target whatever the prompt's length (the reference leaves a short prompt's last
 *       partial window uncompressed and pads its plan with 2 tokens per context).
 *   <li>Whitespace units holding a line break are kept, so lines and paragraphs do not fuse.
 * </ol>
 *
 * <p>Cost: every token is scored once as a candidate, and the kept ones once more in their
 * compressed context (about {@code (1 + rate)·n} token positions), against the reference's full
 * first pass plus overlapping windows.
 */
final class WordCompressor {
  private static final int CACHE_BOS = 10;

  private final ProxyLm lm;

  WordCompressor(ProxyLm lm) {
    this.lm = lm;
  }

  /**
   * @param contexts the contexts left after the budget controller, joined by blank lines
   * @param prefix text the scores are conditioned on (LongLLMLingua's question), or null
   * @param targetToken small-model tokens to keep over all contexts
   * @param dynamicRatio per-context change of the keep ratio (LongLLMLingua's dynamic compression)
   * @param conditionCompare score by how much the prefix lowers a token's loss
   */
  String compress(
      List<String> contexts,
      String prefix,
      double targetToken,
      int iterativeSize,
      double[] dynamicRatio,
      boolean conditionCompare) {
    String content = String.join("\n\n", contexts);
    int[] ids = lm.encode(content);
    if (ids.length == 0) {
      return "";
    }
    WordUnits units = WordUnits.of(lm.tokenizer(), ids);
    int n = units.size();
    int[] contextOf = contextOfUnits(units, contexts);
    double[] rate =
        unitRates(units, contextOf, dynamicRatio, Math.max(0, Math.min(targetToken, ids.length)));

    int maxPos = lm.maxPositions();
    int[] prefixIds = prefix == null ? new int[0] : lm.encode(prefix + "\n\n");
    if (prefixIds.length > maxPos / 2) {
      prefixIds = Arrays.copyOfRange(prefixIds, prefixIds.length - maxPos / 2, prefixIds.length);
    }
    int window = Math.max(1, Math.min(iterativeSize, (maxPos - prefixIds.length - CACHE_BOS) / 3));
    boolean[] keep = new boolean[n];
    double[] carry = new double[contexts.size()];
    try (Scorer conditioned = new Scorer(lm, prefixIds);
        Scorer plain = conditionCompare ? new Scorer(lm, new int[0]) : null) {
      int u = 0;
      while (u < n) {
        int v = u;
        int tokens = 0;
        while (v < n && (v == u || tokens + units.tokens(v) <= window)) {
          tokens += units.tokens(v);
          v++;
        }
        int[] windowIds = Arrays.copyOfRange(ids, units.starts[u], units.starts[v]);
        float[] loss = conditioned.score(windowIds);
        float[] score = loss;
        if (plain != null) {
          float[] selfLoss = plain.score(windowIds);
          score = new float[loss.length];
          for (int t = 0; t < loss.length; t++) {
            score[t] = selfLoss[t] - loss[t];
          }
        }
        select(units, u, v, score, rate, contextOf, carry, keep);
        int[] kept = keptIds(units, ids, u, v, keep);
        conditioned.commit(kept);
        if (plain != null) {
          plain.commit(kept);
        }
        u = v;
      }
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < n; i++) {
      if (keep[i]) {
        out.append(units.texts[i]);
      }
    }
    return out.toString();
  }

  /**
   * Picks the window's units, best score first, per context up to its target plus carried
   * shortfall.
   */
  private static void select(
      WordUnits units,
      int from,
      int to,
      float[] score,
      double[] rate,
      int[] contextOf,
      double[] carry,
      boolean[] keep) {
    int base = units.starts[from];
    int c = contextOf[from];
    int groupStart = from;
    for (int u = from; u <= to; u++) {
      if (u == to || contextOf[u] != c) {
        selectGroup(units, groupStart, u, base, score, rate, c, carry, keep);
        if (u < to) {
          c = contextOf[u];
          groupStart = u;
        }
      }
    }
  }

  private static void selectGroup(
      WordUnits units,
      int from,
      int to,
      int base,
      float[] score,
      double[] rate,
      int context,
      double[] carry,
      boolean[] keep) {
    double target = carry[context];
    int kept = 0;
    List<double[]> candidates = new ArrayList<>();
    for (int u = from; u < to; u++) {
      target += units.tokens(u) * rate[u];
      String text = units.texts[u];
      if (text.isBlank() && text.indexOf('\n') >= 0) {
        keep[u] = true;
        kept += units.tokens(u);
        continue;
      }
      double sum = 0;
      int scored = 0;
      for (int t = units.starts[u]; t < units.starts[u + 1]; t++) {
        float s = score[t - base];
        if (!Float.isNaN(s)) {
          sum += s;
          scored++;
        }
      }
      candidates.add(new double[] {scored == 0 ? Double.POSITIVE_INFINITY : sum / scored, u});
    }
    candidates.sort(
        (a, b) -> a[0] != b[0] ? Double.compare(b[0], a[0]) : Double.compare(a[1], b[1]));
    long budget = Math.round(target);
    for (double[] cand : candidates) {
      int u = (int) cand[1];
      if (kept + units.tokens(u) <= budget) {
        keep[u] = true;
        kept += units.tokens(u);
      }
    }
    carry[context] = target - kept;
  }

  private static int[] keptIds(WordUnits units, int[] ids, int from, int to, boolean[] keep) {
    int n = 0;
    int[] out = new int[units.starts[to] - units.starts[from]];
    for (int u = from; u < to; u++) {
      if (keep[u]) {
        for (int t = units.starts[u]; t < units.starts[u + 1]; t++) {
          out[n++] = ids[t];
        }
      }
    }
    return Arrays.copyOf(out, n);
  }

  /**
   * Which context each unit starts in (contexts are joined by "\n\n", which belongs to the one
   * before).
   */
  private static int[] contextOfUnits(WordUnits units, List<String> contexts) {
    int[] ends = new int[contexts.size()];
    int offset = 0;
    for (int c = 0; c < ends.length; c++) {
      offset += contexts.get(c).length() + (c + 1 < ends.length ? 2 : 0);
      ends[c] = offset;
    }
    int[] out = new int[units.size()];
    int chars = 0;
    int c = 0;
    for (int u = 0; u < out.length; u++) {
      while (c < ends.length - 1 && chars >= ends[c]) {
        c++;
      }
      out[u] = c;
      chars += units.texts[u].length();
    }
    return out;
  }

  /**
   * Keep ratio of each unit: {@code clamp(τ + dynamicRatio[context], 0, 1)} with τ solved (by
   * bisection) so that the kept tokens add up to the target.
   */
  private static double[] unitRates(
      WordUnits units, int[] contextOf, double[] dynamicRatio, double target) {
    int total = units.starts[units.size()];
    double lo = -1;
    double hi = 2;
    for (int it = 0; it < 64; it++) {
      double mid = (lo + hi) / 2;
      double kept = 0;
      for (int u = 0; u < units.size(); u++) {
        kept += units.tokens(u) * clamp(mid + delta(dynamicRatio, contextOf[u]));
      }
      if (kept < target) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    double tau = target >= total ? 2 : hi;
    double[] rate = new double[units.size()];
    for (int u = 0; u < rate.length; u++) {
      rate[u] = clamp(tau + delta(dynamicRatio, contextOf[u]));
    }
    return rate;
  }

  private static double delta(double[] dynamicRatio, int context) {
    return dynamicRatio == null || context >= dynamicRatio.length ? 0 : dynamicRatio[context];
  }

  private static double clamp(double x) {
    return Math.max(0, Math.min(1, x));
  }

  /**
   * A KV cache holding the prefix and the kept tokens so far: scores a window's candidates, then
   * replaces them by the kept ones, which are scored again (exactly, in their compressed context)
   * together with the next window.
   */
  private static final class Scorer implements AutoCloseable {
    private final ProxyLm lm;
    private final ScoringSession session;
    private final int protectedHead;
    private int[] pending = new int[0];
    private int before;

    Scorer(ProxyLm lm, int[] prefix) {
      this.lm = lm;
      this.session = lm.newSession();
      if (prefix.length > 0) {
        session.append(prefix);
      }
      this.protectedHead = prefix.length + CACHE_BOS;
    }

    /**
     * Losses of the window's tokens given the cache (NaN for a first token with nothing before it).
     */
    float[] score(int[] windowIds) {
      int[] append = new int[pending.length + windowIds.length];
      System.arraycopy(pending, 0, append, 0, pending.length);
      System.arraycopy(windowIds, 0, append, pending.length, windowIds.length);
      int overflow = session.length() + append.length - lm.maxPositions();
      if (overflow > 0) {
        // drop the oldest compressed text after the protected head, as LLMLingua's cache
        // compression does
        int from = Math.min(protectedHead, session.length());
        session.removeSpan(from, Math.min(session.length(), from + overflow));
        if (session.length() + append.length > lm.maxPositions()) {
          session.removeSpan(0, session.length());
        }
      }
      before = session.length();
      float[] logProbs = session.append(append);
      float[] loss = new float[windowIds.length];
      for (int t = 0; t < loss.length; t++) {
        loss[t] = -logProbs[pending.length + t];
      }
      return loss;
    }

    /** Keeps the scored pending tokens, forgets the window's candidates, queues the kept ones. */
    void commit(int[] kept) {
      session.removeSpan(before + pending.length, session.length());
      pending = kept;
    }

    @Override
    public void close() {
      session.close();
    }
  }
}
