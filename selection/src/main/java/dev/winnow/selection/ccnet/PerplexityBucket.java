package dev.winnow.selection.ccnet;

/**
 * CCNet's perplexity buckets: head (lowest perplexity, closest to the model's domain), middle,
 * tail.
 */
public enum PerplexityBucket {
  HEAD,
  MIDDLE,
  TAIL;

  /** Lowercase name, as written into document metadata. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
