package dev.winnow.selection.quality;

import java.io.Serializable;

/**
 * Settings of {@link C4QualityFilter}. Public mutable fields so a YAML/JSON binder can fill them; a
 * field missing from the config keeps its default. Every default equals datatrove's {@code
 * C4QualityFilter.__init__} ({@code datatrove/pipeline/filters/c4_filters.py}), which follows
 * Raffel et al. 2020 (T5/C4) and TensorFlow Datasets' {@code c4_utils.py}. Line splitting is always
 * by line ({@code split_paragraph=True}, datatrove's default); the sentence-splitting mode is not
 * offered.
 */
public class C4QualityConfig implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Run this filter at all. */
  public boolean enabled = true;

  /**
   * Remove Wikipedia-style citations ({@code [1]}, {@code [edit]}, {@code [citation needed]}) from
   * lines.
   */
  public boolean removeCitations = true;

  /** Drop lines that do not end in {@code . ? ! " '} or that end in {@code ...}. */
  public boolean filterNoTerminalPunct = true;

  /**
   * Reject documents with fewer sentences in their kept lines (datatrove {@code 5}; -1 disables).
   */
  public int minNumSentences = 5;

  /** Drop lines with fewer whitespace-separated words (datatrove {@code 3}; -1 disables). */
  public int minWordsPerLine = 3;

  /**
   * Drop lines holding a word longer than this many characters (datatrove {@code 1000}; -1
   * disables).
   */
  public int maxWordLength = 1000;

  /** Reject documents with a kept line containing "lorem ipsum". */
  public boolean filterLoremIpsum = true;

  /** Drop lines mentioning "javascript". */
  public boolean filterJavascript = true;

  /** Reject documents with a kept line containing a curly bracket. */
  public boolean filterCurlyBracket = true;

  /** Drop lines with cookie / terms-of-use / privacy-policy phrases. */
  public boolean filterPolicy = true;

  /**
   * Checks every field; {@code path} prefixes field names in messages, e.g. {@code "quality.c4"}.
   */
  public void validate(String path) {
    ConfigCheck.path(path);
    ConfigCheck.atLeast(path, "minNumSentences", minNumSentences, -1, "-1 disables the rule");
    ConfigCheck.atLeast(path, "minWordsPerLine", minWordsPerLine, -1, "-1 disables the rule");
    ConfigCheck.atLeast(path, "maxWordLength", maxWordLength, -1, "-1 disables the rule");
  }
}
