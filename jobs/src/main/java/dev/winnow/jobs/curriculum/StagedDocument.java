package dev.winnow.jobs.curriculum;

/**
 * A document placed in the curriculum, as written to the output topic: the JSON carries {@code
 * meta.curriculum}. Flink POJO.
 */
public class StagedDocument {
  public String id;
  public int stage;
  public long rank;

  /** UTF-8 JSON of the document with {@code meta.curriculum}. */
  public byte[] json;

  public StagedDocument() {}

  public static StagedDocument of(String id, int stage, long rank, byte[] json) {
    StagedDocument d = new StagedDocument();
    d.id = id;
    d.stage = stage;
    d.rank = rank;
    d.json = json;
    return d;
  }
}
