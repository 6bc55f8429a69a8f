package dev.winnow.jobs.common;

/**
 * A document the job did not keep, with why: the stage that dropped it, the rule, the measured
 * value and the threshold it broke, and for duplicates the id of the document it duplicates. Flink
 * POJO.
 */
public class RejectedRecord {
  public DocRecord doc;

  /** {@code quality}, {@code exact_dedup}, {@code near_dedup}, {@code select}. */
  public String stage;

  public String filter;
  public String rule;
  public double value;
  public String threshold;

  /** For duplicates: the id of the kept document this one duplicates; else null. */
  public String duplicateOf;

  /** For near-duplicates: the cluster of the matched document; else null. */
  public String cluster;

  /**
   * A value that is not a number (the detected language of a {@code language} rejection): written
   * as the rejection's {@code value}, with the number {@link #value} as {@code score}; else null.
   */
  public String valueText;

  /**
   * More about the match as a JSON object whose fields are added to the rejection (a contaminated
   * document's benchmark, item and n-gram; the matched domain or word of a URL rejection); else
   * null.
   */
  public String details;

  public RejectedRecord() {}

  public static RejectedRecord of(
      DocRecord doc,
      String stage,
      String filter,
      String rule,
      double value,
      String threshold,
      String duplicateOf) {
    RejectedRecord r = new RejectedRecord();
    r.doc = doc;
    r.stage = stage;
    r.filter = filter;
    r.rule = rule;
    r.value = value;
    r.threshold = threshold;
    r.duplicateOf = duplicateOf;
    return r;
  }
}
