package dev.winnow.jobs.curation.dedup;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Documents that were already kept (an earlier {@code curated} topic, or JSONL / JSONL.gz files):
 * the dedup stages are seeded with them before any live document is decided, so new data is checked
 * against them. Reference documents are never written to an output topic. Each dedup subtask reads
 * the whole reference set when it starts (and again after a restart); the topic is read up to the
 * end offsets seen when the job was built, so a restart reads exactly the same reference documents.
 */
public class ReferenceSection implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * A topic of documents in the wire format, e.g. the {@code curated} topic of an earlier run; null
   * = none.
   */
  public String topic = null;

  /** JSONL / JSONL.gz files or directories of them, read in the order given. */
  public List<String> files = new ArrayList<>();

  /** Whether any reference source is configured. */
  public boolean configured() {
    return topic != null || !files.isEmpty();
  }
}
