package dev.winnow.selection.quality;

import dev.winnow.selection.text.SentenceSplitter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * C4's line and page heuristics (Raffel et al. 2020, section 2.2), with the semantics of
 * datatrove's {@code C4QualityFilter}: some rules drop a line, others reject the whole document.
 * Each line ({@code splitlines}), stripped of surrounding whitespace, goes through these checks in
 * order; the first that applies decides:
 * <ol>
 *   <li>line rule {@code too_long_word}: a whitespace-separated word longer than maxWordLength.</li>
 *   <li>(citations such as {@code [1]}, {@code [edit]}, {@code [citation needed]} are removed from
 *       the line when removeCitations is set)</li>
 *   <li>line rule {@code no_terminal_punc}: the line does not end in {@code . ? ! " '}, or ends in
 *       {@code ...}. Empty lines are removed (and counted) by this rule.</li>
 *   <li>line rule {@code too_few_words}: fewer than minWordsPerLine words (counted before citation
 *       removal, as datatrove does).</li>
 *   <li>document rule {@code lorem_ipsum}: the line contains "lorem ipsum" (any case).</li>
 *   <li>line rule {@code javascript}: the line contains "javascript" (any case).</li>
 *   <li>document rule {@code curly_bracket}: the line contains {@code {}.</li>
 *   <li>line rule {@code policy}: the line contains "terms of use", "privacy policy", "cookie
 *       policy", "uses cookies", "use of cookies" or "use cookies" (any case).</li>
 * </ol>
 * Surviving lines are kept and their sentences counted ({@link SentenceSplitter#DATATROVE}, standing in for
 * Punkt); document rule {@code too_few_sentences} rejects when the total is below minNumSentences.
 * Otherwise the document is kept with its kept lines joined by {@code \n} (so paragraph breaks
 * become line breaks, as in datatrove), and {@link FilterOutcome#removedLines()} counts the dropped
 * lines per line rule. Document rules see only lines that passed the line rules before them, exactly
 * as in datatrove (a {@code {} on a line without terminal punctuation does not reject).
 * The bad-words rule of the paper is not part of this filter (datatrove has it apart, too).
 */
public final class C4QualityFilter implements QualityFilter {

  private static final long serialVersionUID = 1L;

  /** The {@link Rejection#filter()} of this filter. */
  public static final String NAME = "c4";

  private static final Pattern CITATION =
      Pattern.compile("\\[\\p{Nd}*]|\\[edit]|\\[citation needed]");
  private static final String[] POLICY = {
    "terms of use",
    "privacy policy",
    "cookie policy",
    "uses cookies",
    "use of cookies",
    "use cookies"
  };

  private final boolean removeCitations;
  private final boolean filterNoTerminalPunct;
  private final int minNumSentences;
  private final int minWordsPerLine;
  private final int maxWordLength;
  private final boolean filterLoremIpsum;
  private final boolean filterJavascript;
  private final boolean filterCurlyBracket;
  private final boolean filterPolicy;

  /** A filter with {@code config}'s settings (validated here, then copied). */
  public C4QualityFilter(C4QualityConfig config) {
    config.validate("c4");
    this.removeCitations = config.removeCitations;
    this.filterNoTerminalPunct = config.filterNoTerminalPunct;
    this.minNumSentences = config.minNumSentences;
    this.minWordsPerLine = config.minWordsPerLine;
    this.maxWordLength = config.maxWordLength;
    this.filterLoremIpsum = config.filterLoremIpsum;
    this.filterJavascript = config.filterJavascript;
    this.filterCurlyBracket = config.filterCurlyBracket;
    this.filterPolicy = config.filterPolicy;
  }

  /** A filter with datatrove's defaults. */
  public C4QualityFilter() {
    this(new C4QualityConfig());
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public FilterOutcome apply(TextView view) {
    Map<String, Integer> removed = new LinkedHashMap<>();
    StringBuilder kept = new StringBuilder(view.text().length());
    int sentences = 0;
    for (String rawLine : view.lines()) {
      String line = PyText.strip(rawLine);
      List<String> words = PyText.splitWhitespace(line);
      if (maxWordLength != -1 && hasLongWord(words)) {
        removed.merge("too_long_word", 1, Integer::sum);
        continue;
      }
      if (removeCitations && line.indexOf('[') >= 0) {
        line = CITATION.matcher(line).replaceAll("");
      }
      if (filterNoTerminalPunct && (!endsWithTerminal(line) || line.endsWith("..."))) {
        removed.merge("no_terminal_punc", 1, Integer::sum);
        continue;
      }
      if (words.size() < minWordsPerLine) {
        removed.merge("too_few_words", 1, Integer::sum);
        continue;
      }
      String lower = line.toLowerCase(Locale.ROOT);
      if (filterLoremIpsum && lower.contains("lorem ipsum")) {
        return reject("lorem_ipsum", 1, "contains \"lorem ipsum\"");
      }
      if (filterJavascript && lower.contains("javascript")) {
        removed.merge("javascript", 1, Integer::sum);
        continue;
      }
      if (filterCurlyBracket && line.indexOf('{') >= 0) {
        return reject("curly_bracket", 1, "contains \"{\"");
      }
      if (filterPolicy && containsPolicy(lower)) {
        removed.merge("policy", 1, Integer::sum);
        continue;
      }
      sentences += SentenceSplitter.DATATROVE.count(line);
      if (kept.length() > 0) {
        kept.append('\n');
      }
      kept.append(line);
    }
    if (sentences < minNumSentences) {
      return reject("too_few_sentences", sentences, Thresholds.of("<", minNumSentences));
    }
    String text = PyText.strip(kept.toString());
    return FilterOutcome.kept(text.equals(view.text()) ? view.text() : text, removed);
  }

  private boolean hasLongWord(List<String> words) {
    for (String w : words) {
      if (w.length() > maxWordLength && PyText.len(w) > maxWordLength) {
        return true;
      }
    }
    return false;
  }

  private static boolean endsWithTerminal(String line) {
    if (line.isEmpty()) {
      return false;
    }
    char c = line.charAt(line.length() - 1);
    return c == '.' || c == '?' || c == '!' || c == '"' || c == '\'';
  }

  private static boolean containsPolicy(String lower) {
    for (String p : POLICY) {
      if (lower.contains(p)) {
        return true;
      }
    }
    return false;
  }

  private static FilterOutcome reject(String rule, double value, String threshold) {
    return FilterOutcome.rejected(new Rejection(NAME, rule, value, threshold));
  }
}
