package dev.winnow.prompt.llmlingua;

import dev.winnow.kernels.scoring.ScoringSession;
import dev.winnow.prompt.model.ProxyLm;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * LLMLingua's token-level compression ({@code iterative_compress_prompt}), reproduced step for
 * step: the text is cut into windows of {@code iterative_size} tokens; each window is scored by the
 * small model conditioned on the already compressed text before it (a KV cache of the kept tokens,
 * sliced as the reference slices {@code past_key_values}), and the tokens whose loss is above a
 * threshold are kept, the threshold being the quantile of all losses seen so far that keeps the
 * window's target fraction. With {@code condition_compare} (LongLLMLingua) the score is the
 * contrast between the loss without and with the question in front.
 *
 * <p>Quirks kept on purpose, because compat mode must give the reference's output: token {@code i}
 * is kept or dropped by the loss of token {@code i + 1}; the first pass scores the whole text and
 * throws its cache away; windows follow a plan made from token counts padded by 2 per context; past
 * the model's context the cache drops a span after the first {@code 10 + start} positions while the
 * ids drop their head.
 */
final class IterativeCompressor {
  static final int CACHE_BOS_NUM = 10;
  static final int SPLIT_TOKEN_ID = 13;

  /**
   * One planned piece of a window: {@code tokens} positions compressed to fraction {@code ratio}.
   */
  record Piece(int tokens, double ratio) {}

  private final ProxyLm lm;

  IterativeCompressor(ProxyLm lm) {
    this.lm = lm;
  }

  /** {@code get_dynamic_compression_ratio}: the window plan. */
  List<List<Piece>> plan(
      List<String> context,
      double targetToken,
      int iterativeSize,
      double[] dynamicRatio,
      int start) {
    int[] lengths = new int[context.size()];
    for (int i = 0; i < lengths.length; i++) {
      lengths[i] = lm.tokenLength(context.get(i)) + 2;
    }
    if (start != 0) {
      lengths = Arrays.copyOfRange(lengths, 1, lengths.length);
    }
    long sum = 0;
    for (int l : lengths) {
      sum += l;
    }
    double tau = targetToken / (sum + 1);
    List<List<Piece>> res = new ArrayList<>();
    List<Piece> lastTarget = new ArrayList<>();
    int last = 1;
    for (int idx = 0; idx < lengths.length; idx++) {
      double ratio = Math.max(Math.min(1, tau + dynamicRatio[idx]), 0);
      if (last + lengths[idx] >= iterativeSize) {
        lastTarget.add(new Piece(iterativeSize - last, ratio));
        res.add(lastTarget);
        last = last + lengths[idx] - iterativeSize;
        if (last > iterativeSize) {
          int k = last / iterativeSize;
          for (int j = 0; j < k; j++) {
            res.add(List.of(new Piece(iterativeSize, ratio)));
          }
          last -= k * iterativeSize;
        }
        lastTarget = new ArrayList<>();
        if (last != 0) {
          lastTarget.add(new Piece(last, ratio));
        }
      } else {
        last += lengths[idx];
        lastTarget.add(new Piece(lengths[idx], ratio));
      }
    }
    if (!lastTarget.isEmpty()) {
      res.add(lastTarget);
    }
    return res;
  }

  /**
   * Compresses {@code context} (joined by blank lines; with a condition, {@code context[0]} is the
   * question prefix of {@code start} tokens, scored but never returned) and returns the kept token
   * ids.
   */
  int[] compress(
      List<String> context,
      double targetToken,
      int iterativeSize,
      boolean keepSplit,
      int start,
      double[] dynamicRatio,
      boolean conditionCompare) {
    List<List<Piece>> ratios = plan(context, targetToken, iterativeSize, dynamicRatio, start);
    int maxPos = lm.maxPositions();
    int[] ids = lm.encode(String.join("\n\n", context));
    int[] selfIds =
        conditionCompare ? Arrays.copyOfRange(ids, Math.min(start, ids.length), ids.length) : null;
    int[] keepFlag = keepSplit ? splitFlags(ids) : null;
    int end = Math.min(iterativeSize + start, ids.length);
    IntBuffer pop = new IntBuffer();
    Cache past = new Cache(lm);
    Cache selfPast = new Cache(lm);
    float[] pastLoss = null;
    float[] selfPastLoss = null;
    int readyEnd = 0;
    int selfReadyEnd = 0;
    int idx = 0;
    try {
      while (end <= ids.length) {
        if (end > maxPos && past.live()) {
          // the reference's "KV-Cache Compression": drop e cached positions after the first s
          int e = end - maxPos;
          int s = Math.min(CACHE_BOS_NUM + start, maxPos);
          pop.add(ids, 0, e);
          ids = Arrays.copyOfRange(ids, e, ids.length);
          past.cut(s, e);
          if (keepFlag != null) {
            keepFlag = Arrays.copyOfRange(keepFlag, Math.min(e, keepFlag.length), keepFlag.length);
          }
          end -= e;
          readyEnd -= e;
          if (conditionCompare) {
            s = Math.min(s, selfPast.length() - e);
            selfReadyEnd -= e;
            selfIds = Arrays.copyOfRange(selfIds, Math.min(e, selfIds.length), selfIds.length);
            selfPast.cut(s, e);
          }
        }
        float[] loss = past.losses(ids, idx == 0 ? Integer.MAX_VALUE : end);
        if (loss.length == 0) {
          break;
        }
        if (pastLoss != null) {
          pastLoss = splice(pastLoss, loss, readyEnd, end - 1);
        } else {
          pastLoss = loss;
        }
        if (idx != 0) {
          past.truncate(end - iterativeSize);
        } else {
          past.reset();
        }
        if (conditionCompare) {
          float[] selfLoss = selfPast.losses(selfIds, idx == 0 ? Integer.MAX_VALUE : end - start);
          if (selfPastLoss != null) {
            selfPastLoss = splice(selfPastLoss, selfLoss, selfReadyEnd, end - start - 1);
          } else {
            selfPastLoss = selfLoss;
          }
          if (idx != 0) {
            selfPast.truncate(end - iterativeSize - start);
          } else {
            selfPast.reset();
          }
          selfReadyEnd = start != 0 && idx == 0 ? 0 : end - start - iterativeSize;
        }
        readyEnd = start != 0 && idx == 0 ? 0 : end - iterativeSize;
        if (idx >= ratios.size()) {
          throw new IllegalStateException(
              "LLMLingua window plan exhausted at window "
                  + idx
                  + " (the reference fails here too: its plan has "
                  + ratios.size()
                  + " windows)");
        }
        for (Piece piece : ratios.get(idx)) {
          float[] scores = conditionCompare ? contrast(selfPastLoss, pastLoss, start) : pastLoss;
          float threshold = threshold(scores, piece.ratio());
          Step step =
              compressedInput(
                  pastLoss,
                  ids,
                  end - iterativeSize + piece.tokens(),
                  piece.tokens(),
                  threshold,
                  keepFlag,
                  start,
                  conditionCompare ? selfPastLoss : null,
                  selfIds);
          ids = step.ids;
          keepFlag = step.keepFlag;
          end = step.end + iterativeSize;
          pastLoss = step.loss;
          selfPastLoss = step.selfLoss;
          selfIds = step.selfIds;
        }
        idx++;
      }
    } finally {
      past.reset();
      selfPast.reset();
    }
    pop.add(ids, 0, ids.length);
    int[] all = pop.toArray();
    return Arrays.copyOfRange(all, Math.min(start, all.length), all.length);
  }

  /** {@code past_loss[from:to] = loss}, first padding with zeros as the reference does. */
  private static float[] splice(float[] pastLoss, float[] loss, int from, int to) {
    if (to > pastLoss.length) {
      int grow = Math.min(to - pastLoss.length, loss.length);
      pastLoss = Arrays.copyOf(pastLoss, pastLoss.length + grow);
    }
    int a = PySlice.bound(from, pastLoss.length);
    int b = Math.max(a, PySlice.bound(to, pastLoss.length));
    if (b - a != loss.length) {
      throw new IllegalStateException(
          "loss bookkeeping: "
              + loss.length
              + " new losses for slice ["
              + from
              + ":"
              + to
              + "] of "
              + pastLoss.length
              + " (the reference would fail here too)");
    }
    System.arraycopy(loss, 0, pastLoss, a, loss.length);
    return pastLoss;
  }

  /**
   * {@code self_loss[:len(loss[start:])] − loss[start:]}: how much the question lowers each token's
   * loss.
   */
  private static float[] contrast(float[] selfLoss, float[] loss, int start) {
    int from = PySlice.bound(start, loss.length);
    int n = loss.length - from;
    if (selfLoss.length < n) {
      throw new IllegalStateException(
          "condition_compare: "
              + selfLoss.length
              + " unconditioned losses for "
              + n
              + " conditioned ones (the reference would fail here too)");
    }
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = selfLoss[i] - loss[from + i];
    }
    return out;
  }

  /**
   * {@code get_estimate_threshold_base_distribution}: the value at rank {@code int(n·ratio) − 1} of
   * the scores in descending order (scores equal to 10000 are ignored), −∞ for ratio 1.
   */
  static float threshold(float[] scores, double ratio) {
    if (ratio == 1.0) {
      return Float.NEGATIVE_INFINITY;
    }
    float[] v = new float[scores.length];
    int n = 0;
    for (float s : scores) {
      if (s != 10000f) {
        v[n++] = s;
      }
    }
    if (n == 0) {
      throw new IllegalStateException("no token scores to take a threshold from");
    }
    v = Arrays.copyOf(v, n);
    Arrays.sort(v);
    int k = Math.max(0, Math.min(n - 1, (int) (n * ratio) - 1));
    return v[n - 1 - k];
  }

  private record Step(
      int[] ids, int[] keepFlag, int end, float[] loss, float[] selfLoss, int[] selfIds) {}

  /** {@code get_compressed_input}: drops the window's tokens at or below the threshold. */
  private static Step compressedInput(
      float[] loss,
      int[] ids,
      int end,
      int iterativeSize,
      float threshold,
      int[] keepFlag,
      int start,
      float[] selfLoss,
      int[] selfIds) {
    int n = loss.length;
    boolean[] need;
    if (selfLoss != null) {
      int s = PySlice.bound(start, n);
      float[] c = contrast(selfLoss, loss, start);
      need = new boolean[s + c.length + Math.min(1, n)];
      for (int i = 0; i < s; i++) {
        need[i] = loss[i] > 0;
      }
      for (int i = 0; i < c.length; i++) {
        need[s + i] = c[i] > threshold;
      }
      if (n > 0) {
        need[need.length - 1] = loss[0] > 0;
      }
    } else {
      need = new boolean[n + Math.min(1, n)];
      for (int i = 0; i < n; i++) {
        need[i] = loss[i] > threshold;
      }
      if (n > 0) {
        need[n] = loss[0] > 0;
      }
    }
    for (int i = PySlice.bound(end, need.length); i < need.length; i++) {
      need[i] = true;
    }
    for (int i = 0, to = PySlice.bound(end - iterativeSize, need.length); i < to; i++) {
      need[i] = true;
    }
    float[] newLoss = select(loss, need, 0, need.length - 1);
    float[] newSelfLoss = null;
    if (selfLoss != null) {
      if (need.length < selfLoss.length + start + 1) {
        need = padTrue(need, selfLoss.length + start + 1);
      }
      int from = PySlice.bound(start, need.length);
      newSelfLoss = select(selfLoss, need, from, need.length - 1);
    }
    if (need.length < ids.length) {
      need = padTrue(need, ids.length);
    } else if (need.length > ids.length) {
      need = Arrays.copyOf(need, ids.length);
    }
    if (keepFlag != null) {
      for (int i = 0; i < keepFlag.length && i < need.length; i++) {
        if (keepFlag[i] == 1) {
          need[i] = true;
        }
      }
      int last = -1;
      for (int ii = Math.max(0, end - iterativeSize); ii < end && ii < need.length; ii++) {
        if (!need[ii]) {
          continue;
        }
        int now = ids[ii];
        if (now == SPLIT_TOKEN_ID && last == SPLIT_TOKEN_ID && keepFlag[ii] == 0) {
          need[ii] = false;
        } else {
          last = now;
        }
      }
    }
    int[] newIds = selectInts(ids, need, 0);
    int[] newSelfIds = selfIds;
    if (selfLoss != null) {
      newSelfIds = selectInts(selfIds, need, PySlice.bound(start, need.length));
    }
    int[] newKeep = keepFlag == null ? null : selectInts(keepFlag, need, 0);
    int dropped = 0;
    for (int i = 0, to = PySlice.bound(end, need.length); i < to; i++) {
      if (!need[i]) {
        dropped++;
      }
    }
    return new Step(newIds, newKeep, end - dropped, newLoss, newSelfLoss, newSelfIds);
  }

  /** {@code values[mask[from:to]]}, requiring the lengths to agree as a boolean index must. */
  private static float[] select(float[] values, boolean[] mask, int from, int to) {
    if (to - from != values.length) {
      throw new IllegalStateException(
          "mask of " + (to - from) + " for " + values.length + " losses");
    }
    float[] out = new float[values.length];
    int n = 0;
    for (int i = 0; i < values.length; i++) {
      if (mask[from + i]) {
        out[n++] = values[i];
      }
    }
    return Arrays.copyOf(out, n);
  }

  private static int[] selectInts(int[] values, boolean[] mask, int from) {
    if (mask.length - from != values.length) {
      throw new IllegalStateException(
          "mask of " + (mask.length - from) + " for " + values.length + " tokens");
    }
    int[] out = new int[values.length];
    int n = 0;
    for (int i = 0; i < values.length; i++) {
      if (mask[from + i]) {
        out[n++] = values[i];
      }
    }
    return Arrays.copyOf(out, n);
  }

  private static boolean[] padTrue(boolean[] a, int n) {
    boolean[] out = Arrays.copyOf(a, n);
    Arrays.fill(out, a.length, n, true);
    return out;
  }

  private static int[] splitFlags(int[] ids) {
    int n = ids.length;
    int[] flags = new int[n];
    for (int i = 0; i < n; i++) {
      boolean split = ids[i] == SPLIT_TOKEN_ID;
      flags[i] =
          split
                  && ((i > 0 && ids[i - 1] == SPLIT_TOKEN_ID)
                      || (i < n - 1 && ids[i + 1] == SPLIT_TOKEN_ID))
              ? 1
              : 0;
    }
    return flags;
  }

  /**
   * The reference's {@code past_key_values} as a {@link ScoringSession}: null until the first
   * forward, sliced by {@link #truncate} and {@link #cut} exactly as the tensors are sliced.
   */
  private static final class Cache {
    private final ProxyLm lm;
    private ScoringSession session;

    Cache(ProxyLm lm) {
      this.lm = lm;
    }

    boolean live() {
      return session != null;
    }

    int length() {
      return session == null ? 0 : session.length();
    }

    /** {@code get_ppl(..., past_key_values, end)}: losses of {@code ids[past+1 .. end)}. */
    float[] losses(int[] ids, int end) {
      int past = length();
      int to = Math.min(Math.min(end, ids.length), past + lm.maxPositions());
      if (to <= past) {
        return new float[0];
      }
      if (session == null) {
        session = lm.newSession();
      }
      float[] logProbs = session.append(Arrays.copyOfRange(ids, past, to));
      float[] loss = new float[logProbs.length - 1];
      for (int i = 0; i < loss.length; i++) {
        loss[i] = -logProbs[i + 1];
      }
      return loss;
    }

    /** {@code k[:, :, :keep]}. */
    void truncate(int keep) {
      int n = length();
      int k = PySlice.bound(keep, n);
      if (k < n) {
        session.removeSpan(k, n);
      }
    }

    /** {@code cat(k[..., :s, :], k[..., s+e:, :])}. */
    void cut(int s, int e) {
      int n = length();
      int a = PySlice.bound(s, n);
      int b = PySlice.bound(s + e, n);
      if (b > a) {
        session.removeSpan(a, b);
      } else if (b < a) {
        throw new IllegalStateException(
            "cache cut [" + s + ", " + (s + e) + ") of " + n + " would duplicate entries");
      }
    }

    void reset() {
      if (session != null) {
        session.close();
        session = null;
      }
    }
  }

  /** A growable int array. */
  private static final class IntBuffer {
    private int[] data = new int[256];
    private int size;

    void add(int[] src, int from, int to) {
      int n = Math.max(0, Math.min(to, src.length) - from);
      if (size + n > data.length) {
        data = Arrays.copyOf(data, Math.max(data.length * 2, size + n));
      }
      System.arraycopy(src, from, data, size, n);
      size += n;
    }

    int[] toArray() {
      return Arrays.copyOf(data, size);
    }
  }
}
