package dev.winnow.jobs.curriculum;

import dev.winnow.jobs.common.DocRecord;

/**
 * What the ordered pass sorts: a measured document, or the number of documents one subtask of the
 * counting pass saw. Flink POJO. Counts sort before every document (see {@link RankOrder}), so the
 * ordered pass knows the total before it places the first document.
 */
public class CurriculumEntry {
  /**
   * {@link #COUNT}, {@link #MEASURED} or {@link #UNMEASURABLE} (NaN difficulty: ranks after every
   * measured one).
   */
  public int group;

  /** The document's difficulty; 0 for counts and unmeasurable documents. */
  public double difficulty;

  /** Tie-break: the document id, then where it was read. */
  public String id = "";

  public String origin = "";

  /** For a count entry: how many documents. */
  public long count;

  /** For a document entry: the document; null for a count. */
  public DocRecord doc;

  public static final int COUNT = 0;
  public static final int MEASURED = 1;
  public static final int UNMEASURABLE = 2;

  public CurriculumEntry() {}

  public static CurriculumEntry of(DocRecord d, double difficulty) {
    CurriculumEntry e = new CurriculumEntry();
    e.group = Double.isNaN(difficulty) ? UNMEASURABLE : MEASURED;
    e.difficulty = Double.isNaN(difficulty) ? 0 : difficulty;
    e.id = d.id;
    e.origin = d.origin == null ? "" : d.origin;
    e.doc = d;
    return e;
  }

  public static CurriculumEntry count(long n, int subtask) {
    CurriculumEntry e = new CurriculumEntry();
    e.group = COUNT;
    e.count = n;
    e.origin = Integer.toString(subtask);
    return e;
  }

  /** The difficulty as measured: NaN for an unmeasurable document. */
  public double measured() {
    return group == UNMEASURABLE ? Double.NaN : difficulty;
  }
}
