package dev.winnow.prompt.llmlingua;

import dev.winnow.prompt.CompressionMode;
import dev.winnow.prompt.CompressionRequest;
import dev.winnow.prompt.CompressionResult;
import dev.winnow.prompt.model.ProxyLm;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * LLMLingua and LongLLMLingua ({@code compress_prompt} of LLMLingua v0.2.2): a budget controller
 * that keeps whole contexts by rank until the token budget is spent, then token-level iterative
 * compression of what is left; the instruction and the question are never compressed.
 *
 * <p>Jiang et al., "LLMLingua: Compressing Prompts for Accelerated Inference of Large Language
 * Models", EMNLP 2023; Jiang et al., "LongLLMLingua: Accelerating and Enhancing LLMs in Long
 * Context Scenarios via Prompt Compression", ACL 2024.
 *
 * <pre>{@code
 * try (ProxyLm lm = ProxyLm.loadCpu(Path.of("models/proxy-mini"), 4)) {
 *     CompressionRequest request = new CompressionRequest();
 *     request.context = List.of(article);
 *     request.question = "Who criticised the decision?";
 *     CompressionResult result = new LlmLingua(lm).compress(request.validate(), CompressionMode.WORDS);
 * }
 * }</pre>
 */
public final class LlmLingua {
  private final ProxyLm lm;
  private final ContextRanker ranker;

  public LlmLingua(ProxyLm lm) {
    this.lm = lm;
    this.ranker = new ContextRanker(lm);
  }

  /** Compresses a validated request. */
  public CompressionResult compress(CompressionRequest r, CompressionMode mode) {
    List<String> context = new ArrayList<>(r.context);
    String instruction = r.instruction;
    String question = r.question;
    String condition = r.conditionInQuestion;
    if (r.conditionCompare && !condition.contains("_condition")) {
      condition += "_condition";
    }
    if ("longllmlingua".equals(r.rankMethod)) {
      if ("none".equals(condition)) {
        condition = "after";
      }
    } else if ("llmlingua".equals(r.rankMethod)) {
      condition = condition.contains("_condition") ? "none_condition" : "none";
    }
    List<String> whole = new ArrayList<>();
    whole.add(instruction);
    whole.addAll(context);
    whole.add(question);
    int originTokens = lm.oaiTokens(String.join("\n\n", whole).strip());

    int[] contextTokens = context.stream().mapToInt(lm::tokenLength).toArray();
    int instructionTokens = lm.tokenLength(instruction);
    int questionTokens = lm.tokenLength(question);
    double targetToken = r.targetToken;
    if (targetToken == -1) {
      targetToken =
          (instructionTokens + questionTokens + Arrays.stream(contextTokens).sum()) * r.rate
              - instructionTokens
              - (r.concateQuestion ? questionTokens : 0);
    }
    boolean conditionFlag = condition.contains("_condition");
    condition = condition.replace("_condition", "");

    double[] dynamicRatio;
    if (context.size() > 1 && r.useContextLevelFilter) {
      Budgeted kept =
          controlContextBudget(context, contextTokens, targetToken, r, question, condition);
      context = kept.context;
      dynamicRatio = kept.dynamicRatio;
    } else {
      dynamicRatio = new double[context.size()];
    }
    if (r.useSentenceLevelFilter) {
      context = new SentenceBudget(lm, ranker).filter(context, targetToken, r, question, condition);
    }

    String prefix = null;
    if (conditionFlag) {
      prefix = r.addInstruction ? question + "\n\n" + instruction : question;
      if (lm.tokenLength(prefix + "\n\n") + r.iterativeSize * 2 > lm.maxPositions()) {
        int[] tokens = lm.encode(prefix);
        int prefixBos = 100;
        int tail =
            PySlice.bound(
                tokens.length - lm.maxPositions() + 2 + prefixBos + 2 * r.iterativeSize,
                tokens.length);
        int head = Math.min(prefixBos, tokens.length);
        int[] cut = new int[head + Math.max(0, tokens.length - Math.max(tail, head))];
        System.arraycopy(tokens, 0, cut, 0, head);
        System.arraycopy(tokens, Math.max(tail, head), cut, head, cut.length - head);
        prefix = lm.decode(cut);
      }
    }

    String compressed;
    if (r.useTokenLevelFilter) {
      int[] ids;
      if (mode == CompressionMode.COMPAT) {
        int start = 0;
        if (prefix != null) {
          start = prefixLength(prefix + "\n\n", context.get(0));
          context.add(0, prefix);
        }
        ids =
            new IterativeCompressor(lm)
                .compress(
                    context,
                    targetToken,
                    r.iterativeSize,
                    r.keepSplit,
                    start,
                    dynamicRatio,
                    r.conditionCompare);
        compressed = lm.decode(ids).replace("<s> ", "").replace("<s>", "");
      } else {
        compressed =
            new WordCompressor(lm)
                .compress(
                    context,
                    prefix,
                    targetToken,
                    r.iterativeSize,
                    dynamicRatio,
                    r.conditionCompare);
      }
    } else {
      compressed = String.join("\n\n", context);
    }
    List<String> parts = new ArrayList<>();
    if (!instruction.isEmpty()) {
      parts.add(instruction);
    }
    if (!compressed.strip().isEmpty()) {
      parts.add(compressed);
    }
    if (!question.isEmpty() && r.concateQuestion) {
      parts.add(question);
    }
    String prompt = String.join("\n\n", parts);
    return CompressionResult.of(
        prompt, originTokens, lm.oaiTokens(prompt), "llmlingua", mode.wireName());
  }

  private record Budgeted(List<String> context, double[] dynamicRatio) {}

  /** {@code control_context_budget}: keeps ranked contexts until the budget is spent. */
  private Budgeted controlContextBudget(
      List<String> context,
      int[] contextTokens,
      double targetToken,
      CompressionRequest r,
      String question,
      String condition) {
    int[] ranked = ranker.rank(context, question, r.rankMethod, condition);
    double budget = applyBudget(targetToken < 0 ? 100 : targetToken, r.contextBudget);
    List<Integer> used = new ArrayList<>(r.forceContextIds == null ? List.of() : r.forceContextIds);
    for (int idx : ranked) {
      budget -= contextTokens[idx];
      if (!used.contains(idx)) {
        used.add(idx);
      }
      // the reference compares an always-empty list with force_context_number: only 0 stops here
      if (budget < 0 || (r.forceContextNumber != null && 0 >= r.forceContextNumber)) {
        break;
      }
    }
    List<Integer> rankOrder = List.copyOf(used);
    if ("original".equals(r.reorderContext)) {
      used.sort(null);
    } else if ("two_stage".equals(r.reorderContext)) {
      List<Integer> left = new ArrayList<>();
      List<Integer> right = new ArrayList<>();
      for (int i = 0; i < used.size(); i++) {
        (i % 2 == 0 ? left : right).add(used.get(i));
      }
      java.util.Collections.reverse(right);
      left.addAll(right);
      used = left;
    }
    double[] dynamic = new double[used.size()];
    if (r.dynamicContextCompressionRatio > 0) {
      int n = used.size();
      double[] byRank = new double[n];
      for (int j = 0; j < n; j++) {
        int i = (n - 1) - 2 * j;
        byRank[j] = n > 1 ? i * (Math.abs(r.dynamicContextCompressionRatio) / (n - 1)) : 0;
      }
      for (int j = 0; j < n; j++) {
        dynamic[j] = byRank[rankOrder.indexOf(used.get(j))];
      }
    }
    List<String> kept = new ArrayList<>();
    for (int idx : used) {
      kept.add(context.get(idx));
    }
    return new Budgeted(kept, dynamic);
  }

  /**
   * {@code eval("target_token" + context_budget)} for the forms the request accepts ({@code +100},
   * {@code *1.5}).
   */
  static double applyBudget(double target, String budget) {
    String b = budget.strip();
    double v = Double.parseDouble(b.substring(1).strip());
    switch (b.charAt(0)) {
      case '+':
        return target + v;
      case '-':
        return target - v;
      case '*':
        return target * v;
      case '/':
        return target / v;
      default:
        throw new IllegalArgumentException("context_budget: illegal value \"" + budget + "\"");
    }
  }

  /**
   * {@code get_prefix_length}: tokens of {@code prefix} where it is tokenized together with the
   * text after it.
   */
  private int prefixLength(String prefix, String text) {
    int possible = Math.max(lm.tokenLength(prefix) - 3, 1);
    int cut =
        text.codePointCount(0, text.length()) <= 100
            ? text.length()
            : text.offsetByCodePoints(0, 100);
    int[] full = lm.encode(prefix + text.substring(0, cut));
    int i = possible;
    for (; i < full.length; i++) {
      if (lm.decode(Arrays.copyOf(full, i)).equals(prefix)) {
        break;
      }
    }
    return Math.min(i, full.length - 1);
  }
}
