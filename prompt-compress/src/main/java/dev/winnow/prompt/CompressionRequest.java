package dev.winnow.prompt;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One prompt-compression request: the arguments of LLMLingua v0.2.2's {@code compress_prompt} under
 * their reference names and defaults, plus Winnow's {@code method} and {@code mode}.
 *
 * <p>Read from JSON ({@code {"context": [..], "question": "..", "rate": 0.5, ...}}); unknown fields
 * are an error. {@link #validate()} checks every value and names the field it rejects. See {@code
 * prompt-compress/README.md} for what each parameter does.
 */
public final class CompressionRequest {
  /**
   * Methods: LLMLingua, with LongLLMLingua's question-aware parts switched on by its parameters
   * ({@code rank_method=longllmlingua}, {@code condition_compare}, ...) as in the reference; and
   * Selective Context.
   */
  public static final Set<String> METHODS = Set.of("llmlingua", "selective_context");

  public static final Set<String> RANK_METHODS =
      Set.of("llmlingua", "longllmlingua", "bm25", "gzip");
  public static final Set<String> REORDERS = Set.of("original", "sort", "two_stage");
  public static final Set<String> CONDITIONS = Set.of("none", "before", "after");
  public static final Set<String> LEXICAL_UNITS = Set.of("token", "word", "sentence");
  private static final Pattern BUDGET = Pattern.compile("\\s*[-+*/]\\s*\\d+(\\.\\d+)?\\s*");

  @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
  public List<String> context;

  public String instruction = "";
  public String question = "";
  public double rate = 0.5;

  @JsonProperty("target_token")
  public double targetToken = -1;

  @JsonProperty("iterative_size")
  public int iterativeSize = 200;

  @JsonProperty("force_context_ids")
  public List<Integer> forceContextIds;

  @JsonProperty("force_context_number")
  public Integer forceContextNumber;

  @JsonProperty("use_sentence_level_filter")
  public boolean useSentenceLevelFilter = false;

  @JsonProperty("use_context_level_filter")
  public boolean useContextLevelFilter = true;

  @JsonProperty("use_token_level_filter")
  public boolean useTokenLevelFilter = true;

  @JsonProperty("keep_split")
  public boolean keepSplit = false;

  @JsonProperty("keep_first_sentence")
  public int keepFirstSentence = 0;

  @JsonProperty("keep_last_sentence")
  public int keepLastSentence = 0;

  @JsonProperty("keep_sentence_number")
  public int keepSentenceNumber = 0;

  @JsonProperty("high_priority_bonus")
  public double highPriorityBonus = 100;

  @JsonProperty("context_budget")
  public String contextBudget = "+100";

  @JsonProperty("token_budget_ratio")
  public double tokenBudgetRatio = 1.4;

  @JsonProperty("condition_in_question")
  public String conditionInQuestion = "none";

  @JsonProperty("reorder_context")
  public String reorderContext = "original";

  @JsonProperty("dynamic_context_compression_ratio")
  public double dynamicContextCompressionRatio = 0.0;

  @JsonProperty("condition_compare")
  public boolean conditionCompare = false;

  @JsonProperty("add_instruction")
  public boolean addInstruction = false;

  @JsonProperty("rank_method")
  public String rankMethod = "llmlingua";

  @JsonProperty("concate_question")
  public boolean concateQuestion = true;

  /** Winnow: {@code llmlingua} (default; LongLLMLingua too) or {@code selective_context}. */
  public String method = "llmlingua";

  /**
   * Winnow: {@code compat} or {@code words}; null leaves the choice to the caller (CLI flag, server
   * default).
   */
  public String mode;

  /**
   * Selective Context: the lexical unit dropped, {@code token}, {@code word} (default) or {@code
   * sentence}.
   */
  @JsonProperty("lexical_unit")
  public String lexicalUnit = "word";

  /** Checks every field; the exception names the field, the value and the rule. */
  public CompressionRequest validate() {
    if (context == null || context.isEmpty()) {
      throw new InvalidRequestException(
          "context", "must be a non-empty list of strings (the text to compress)");
    }
    for (int i = 0; i < context.size(); i++) {
      String c = context.get(i);
      if (c == null || c.isEmpty()) {
        throw new InvalidRequestException(
            "context[" + i + "]",
            (c == null ? "is null" : "is an empty string") + "; remove it or give it text");
      }
    }
    if (instruction == null) {
      throw new InvalidRequestException(
          "instruction", "must be a string (\"\" for none), not null");
    }
    if (question == null) {
      throw new InvalidRequestException("question", "must be a string (\"\" for none), not null");
    }
    if (!(rate > 0 && rate <= 1)) {
      throw new InvalidRequestException(
          "rate", "illegal value " + rate + ": the fraction of tokens kept must be in (0, 1]");
    }
    if (targetToken != -1 && !(targetToken > 0 && Double.isFinite(targetToken))) {
      throw new InvalidRequestException(
          "target_token",
          "illegal value "
              + targetToken
              + ": must be a positive number of tokens, or -1 for none (then rate applies)");
    }
    if (iterativeSize < 1) {
      throw new InvalidRequestException(
          "iterative_size", "illegal value " + iterativeSize + ": must be at least 1");
    }
    if (forceContextIds != null) {
      for (Integer id : forceContextIds) {
        if (id == null || id < 0 || id >= context.size()) {
          throw new InvalidRequestException(
              "force_context_ids",
              "illegal id "
                  + id
                  + ": there are "
                  + context.size()
                  + " contexts, ids 0.."
                  + (context.size() - 1));
        }
      }
    }
    if (forceContextNumber != null && forceContextNumber < 0) {
      throw new InvalidRequestException(
          "force_context_number", "illegal value " + forceContextNumber + ": must be ≥ 0");
    }
    requireNonNegative("keep_first_sentence", keepFirstSentence);
    requireNonNegative("keep_last_sentence", keepLastSentence);
    requireNonNegative("keep_sentence_number", keepSentenceNumber);
    if (!(tokenBudgetRatio > 0)) {
      throw new InvalidRequestException(
          "token_budget_ratio", "illegal value " + tokenBudgetRatio + ": must be > 0");
    }
    if (contextBudget == null || !BUDGET.matcher(contextBudget).matches()) {
      throw new InvalidRequestException(
          "context_budget",
          "illegal value \""
              + contextBudget
              + "\": must be an operator and a number applied to the token budget, e.g. \"+100\" or \"*1.5\"");
    }
    String condition =
        conditionInQuestion == null ? null : conditionInQuestion.replace("_condition", "");
    if (condition == null || !CONDITIONS.contains(condition)) {
      throw new InvalidRequestException(
          "condition_in_question",
          "illegal value \""
              + conditionInQuestion
              + "\": must be one of "
              + CONDITIONS
              + ", optionally with the suffix \"_condition\"");
    }
    requireOneOf("reorder_context", reorderContext, REORDERS);
    requireOneOf("rank_method", rankMethod, RANK_METHODS);
    requireOneOf("method", method, METHODS);
    requireOneOf("lexical_unit", lexicalUnit, LEXICAL_UNITS);
    if (mode != null) {
      CompressionMode.parse(mode);
    }
    if (!(Math.abs(dynamicContextCompressionRatio) <= 1)) {
      throw new InvalidRequestException(
          "dynamic_context_compression_ratio",
          "illegal value " + dynamicContextCompressionRatio + ": must be in [-1, 1]");
    }
    if ("longllmlingua".equals(rankMethod) && question.isEmpty()) {
      throw new InvalidRequestException(
          "question",
          "LongLLMLingua (rank_method=longllmlingua) ranks contexts by "
              + "the question: give a non-empty question or use rank_method=llmlingua");
    }
    return this;
  }

  private static void requireNonNegative(String field, int value) {
    if (value < 0) {
      throw new InvalidRequestException(field, "illegal value " + value + ": must be ≥ 0");
    }
  }

  private static void requireOneOf(String field, String value, Set<String> allowed) {
    if (value == null || !allowed.contains(value.toLowerCase(Locale.ROOT))) {
      throw new InvalidRequestException(
          field,
          "illegal value \"" + value + "\": must be one of " + new java.util.TreeSet<>(allowed));
    }
  }
}
