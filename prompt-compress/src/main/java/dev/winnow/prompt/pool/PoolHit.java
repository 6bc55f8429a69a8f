package dev.winnow.prompt.pool;

/**
 * One demonstration found in a pool: its score under the search that found it (cosine similarity
 * for dense search, BM25 for lexical search), its size in {@code cl100k_base} tokens as rendered in
 * a prompt, and its unit embedding vector (for diversity).
 */
public record PoolHit(Demonstration demonstration, double score, int tokens, float[] vector) {
  public String id() {
    return demonstration.id();
  }
}
