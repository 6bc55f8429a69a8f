package dev.winnow.kernels.scoring;

/**
 * Incremental scoring with a KV cache: append tokens and get their log-probabilities given
 * everything cached before them, and remove spans of cached positions.
 *
 * <h2>Positions and removal</h2>
 *
 * Like Hugging Face {@code past_key_values} sliced by LLMLingua: an appended token gets position id
 * {@code length()} (the cache length at that moment); {@link #removeSpan} deletes cached keys and
 * values as they are, so the remaining entries keep the positions (RoPE rotations, learned position
 * embeddings) and the context they were computed with. After a removal the session is therefore
 * <em>not</em> the forward pass of the remaining tokens: it equals a forward pass in which each
 * kept token sees what it saw when appended, and later tokens get position ids that continue from
 * the shortened cache (so ids may repeat). Removing a tail span {@code [k, length())} is exact: the
 * session then equals a fresh forward pass over the first {@code k} tokens.
 */
public interface ScoringSession extends AutoCloseable {

  /**
   * Appends tokens and returns {@code ln p(token | everything before)} for each. The first appended
   * token is scored with the next-token distribution of the last cached position, as computed when
   * that position was appended (after a removal: the last position that remains); its entry is NaN
   * when the session is empty.
   */
  float[] append(int[] tokens);

  /** Removes cached positions {@code [from, to)}, {@code 0 ≤ from ≤ to ≤ length()}. */
  void removeSpan(int from, int to);

  /** Number of cached positions. */
  int length();

  /** The cached token ids in cache order. */
  int[] tokens();

  @Override
  void close();
}
