package dev.winnow.prompt.llmlingua;

import dev.winnow.prompt.CompressionRequest;
import dev.winnow.prompt.model.ProxyLm;
import dev.winnow.selection.text.SentenceSplitter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * LongLLMLingua's sentence-level filter ({@code control_sentence_budget} of LLMLingua v0.2.2,
 * {@code use_sentence_level_filter=True}): every context is split into sentences, the sentences of
 * all contexts are ranked together, and the best are kept until {@code target_token ×
 * token_budget_ratio} of the small model's tokens is spent (the sentence that crosses the budget is
 * kept too). Each context comes back as the concatenation of its kept sentences, in their original
 * order, possibly empty.
 *
 * <p>Ranking, as in the reference:
 *
 * <ul>
 *   <li>{@code rank_method=longllmlingua}: the score of a sentence is {@code get_condition_ppl} of
 *       the sentence with the question (without the suffix the context ranker adds); lowest first,
 *       or highest first when the condition is {@code none}. {@code keep_first_sentence} and {@code
 *       keep_last_sentence} add {@code high_priority_bonus} to the first / last sentences of all
 *       contexts together, {@code keep_sentence_number} to the lowest-scored sentences of each
 *       context. Note that the reference adds the bonus whatever the sort direction: under the
 *       conditions LongLLMLingua uses ({@code after}, {@code before}) a bonus pushes a sentence
 *       <em>down</em> the ranking; this is reproduced, not fixed.
 *   <li>any other method: {@link ContextRanker#rank} over the sentences.
 * </ul>
 *
 * <p>Sentences come from {@link SentenceSplitter#LLMLINGUA}, an approximation of NLTK's Punkt: on
 * text where the two split differently the kept text differs from the reference's. Scores that are
 * NaN (a one-token sentence under condition {@code none}) sort after all others.
 */
final class SentenceBudget {
  private final ProxyLm lm;
  private final ContextRanker ranker;
  private final SentenceSplitter splitter = SentenceSplitter.LLMLINGUA;

  SentenceBudget(ProxyLm lm, ContextRanker ranker) {
    this.lm = lm;
    this.ranker = ranker;
  }

  /**
   * The contexts with only their kept sentences.
   *
   * @param targetToken the token budget of the compression (negative: 100, as the reference)
   * @param condition the condition in question without its {@code _condition} suffix
   */
  List<String> filter(
      List<String> context,
      double targetToken,
      CompressionRequest r,
      String question,
      String condition) {
    List<List<String>> sentences = new ArrayList<>();
    List<String> flat = new ArrayList<>();
    List<Integer> firstOf = new ArrayList<>();
    for (String c : context) {
      List<String> s = c.isBlank() ? List.of(c) : splitter.split(c);
      firstOf.add(flat.size());
      sentences.add(s);
      flat.addAll(s);
    }
    int n = flat.size();
    if (n == 1) {
      return context;
    }
    int[] tokens = flat.stream().mapToInt(lm::tokenLength).toArray();
    int[] order =
        "longllmlingua".equals(r.rankMethod)
            ? rankByConditionPpl(flat, sentences, firstOf, r, question, condition)
            : ranker.rank(flat, question, r.rankMethod, condition);

    double budget = (targetToken < 0 ? 100 : targetToken) * r.tokenBudgetRatio;
    boolean[] kept = new boolean[n];
    for (int idx : order) {
      budget -= tokens[idx];
      kept[idx] = true;
      if (budget < 0) {
        break;
      }
    }
    List<String> out = new ArrayList<>(context.size());
    for (int d = 0; d < sentences.size(); d++) {
      StringBuilder text = new StringBuilder();
      for (int k = 0; k < sentences.get(d).size(); k++) {
        if (kept[firstOf.get(d) + k]) {
          text.append(sentences.get(d).get(k));
        }
      }
      out.add(text.toString());
    }
    return out;
  }

  private int[] rankByConditionPpl(
      List<String> flat,
      List<List<String>> sentences,
      List<Integer> firstOf,
      CompressionRequest r,
      String question,
      String condition) {
    int n = flat.size();
    float[] scored = ranker.conditionPpls(flat, question, condition);
    double[] ppl = new double[n];
    for (int i = 0; i < n; i++) {
      ppl[i] = scored[i];
    }
    for (int i = 0; i < Math.min(r.keepFirstSentence, n); i++) {
      ppl[i] += r.highPriorityBonus;
    }
    for (int i = Math.max(0, n - r.keepLastSentence); i < n && r.keepLastSentence > 0; i++) {
      ppl[i] += r.highPriorityBonus;
    }
    if (r.keepSentenceNumber > 0) {
      for (int d = 0; d < sentences.size(); d++) {
        int from = firstOf.get(d);
        int[] lowest = sortedBy(from, from + sentences.get(d).size(), ppl, 1);
        for (int k = 0; k < Math.min(r.keepSentenceNumber, lowest.length); k++) {
          ppl[lowest[k]] += r.highPriorityBonus;
        }
      }
    }
    return sortedBy(0, n, ppl, "none".equals(condition) ? -1 : 1);
  }

  /**
   * Indices {@code from..to} sorted by {@code direction × score}, ties in index order, NaN last.
   */
  private static int[] sortedBy(int from, int to, double[] score, int direction) {
    Integer[] idx = new Integer[to - from];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = from + i;
    }
    Arrays.sort(idx, Comparator.comparingDouble(i -> direction * score[i]));
    return Arrays.stream(idx).mapToInt(Integer::intValue).toArray();
  }
}
