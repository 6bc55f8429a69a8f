package dev.winnow.jobs.curation.dedup;

import java.io.Serializable;

/** Exact dedup on a 128-bit hash of the normalized text; the first occurrence is kept. */
public class ExactDedupSection implements Serializable {
  private static final long serialVersionUID = 1L;
  public boolean enabled = true;

  /** How long a seen hash is remembered, in seconds; 0 = forever. */
  public long ttlSeconds = 0;
}
