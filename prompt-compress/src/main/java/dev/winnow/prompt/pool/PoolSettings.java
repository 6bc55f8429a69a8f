package dev.winnow.prompt.pool;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a pool was built with, kept in {@code pool.json} beside the index so that a reopened pool
 * embeds queries exactly as it embedded its demonstrations.
 *
 * @param format layout version of the pool directory
 * @param dimension length of the embedding vectors (the proxy model's hidden size)
 * @param embedTokens the input is embedded from its first this many proxy-model tokens
 * @param probe the embedding of {@link DemonstrationEmbedder#PROBE_TEXT} by the model that built
 *     the pool: a reopened pool refuses a different model (cosine below 0.999)
 */
public record PoolSettings(
    @JsonProperty("format") int format,
    @JsonProperty("dimension") int dimension,
    @JsonProperty("embed_tokens") int embedTokens,
    @JsonProperty("probe") float[] probe) {

  public static final int FORMAT = 1;
}
