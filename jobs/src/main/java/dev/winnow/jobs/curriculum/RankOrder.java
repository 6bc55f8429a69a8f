package dev.winnow.jobs.curriculum;

import org.apache.flink.api.java.functions.KeySelector;

/**
 * The sort key of the ordered pass, as one string whose natural order is (group, difficulty, id,
 * origin): counts first, then documents easiest first, then documents without a difficulty (as
 * {@code CurriculumPlanner} ranks NaN last); ties by document id, then by where the record was
 * read, so the order is total and the same on every run whatever the input partitioning.
 *
 * <p>Why one string and not a tuple: Flink 2.2's {@code sortPartition(KeySelector)} with a {@code
 * Tuple4} key sorted by the tuple's first field only (seen in {@code CurriculumJobTest}). The
 * difficulty is encoded as the 16 hex digits of its IEEE bits with the sign folded so that unsigned
 * order is numeric order; id and origin are separated by {@code U+0000}, so a shorter id sorts
 * before a longer one that extends it.
 */
public class RankOrder implements KeySelector<CurriculumEntry, String> {
  private static final long serialVersionUID = 1L;

  @Override
  public String getKey(CurriculumEntry e) {
    return key(e.group, e.difficulty, e.id, e.origin);
  }

  static String key(int group, double difficulty, String id, String origin) {
    StringBuilder sb = new StringBuilder(20 + id.length() + origin.length());
    sb.append((char) ('0' + group));
    String hex = Long.toHexString(sortableBits(difficulty));
    sb.append("0".repeat(16 - hex.length())).append(hex);
    return sb.append(id).append('\u0000').append(origin).toString();
  }

  /** Bits of {@code d} whose unsigned order is the numeric order of doubles (−0.0 before 0.0). */
  static long sortableBits(double d) {
    long bits = Double.doubleToLongBits(d);
    return bits < 0 ? ~bits : bits | Long.MIN_VALUE;
  }
}
