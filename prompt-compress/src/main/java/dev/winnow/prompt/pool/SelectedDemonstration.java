package dev.winnow.prompt.pool;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A demonstration chosen for a query: its relevance {@code score} under the selection method
 * (cosine for knn, BM25 for bm25, reciprocal-rank fusion for hybrid) and its size in {@code
 * cl100k_base} tokens.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SelectedDemonstration(
    @JsonProperty("id") String id,
    @JsonProperty("input") String input,
    @JsonProperty("output") String output,
    @JsonProperty("meta") ObjectNode meta,
    @JsonProperty("score") double score,
    @JsonProperty("tokens") int tokens) {

  static SelectedDemonstration of(PoolHit hit, double score) {
    Demonstration d = hit.demonstration();
    return new SelectedDemonstration(d.id(), d.input(), d.output(), d.meta(), score, hit.tokens());
  }

  public Demonstration demonstration() {
    return new Demonstration(id, input, output, meta);
  }
}
