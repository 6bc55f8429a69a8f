package dev.winnow.prompt.pool;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.winnow.prompt.InvalidRequestException;

/**
 * What to select from a pool: the query text, how many demonstrations, how to find them, how
 * diverse, how many tokens they may take, and in which order they go. Read from JSON with the names
 * below; {@link #validate()} names the field it rejects.
 */
public final class SelectionRequest {
  public static final int MAX_K = 1000;
  public static final int DEFAULT_CANDIDATES = 100;

  /** The input to find demonstrations for. */
  public String query;

  /** The pool's name (over HTTP; a library caller passes the pool itself). */
  public String pool;

  /** Most demonstrations returned. */
  public int k = 8;

  /** {@code knn}, {@code bm25} or {@code hybrid}. */
  public String method = "knn";

  /** MMR trade-off in [0, 1] (1: relevance only, 0: diversity only); absent: no MMR. */
  public Double lambda;

  /**
   * Most {@code cl100k_base} tokens the selected demonstrations may take together; absent: no
   * limit.
   */
  @JsonProperty("token_budget")
  public Integer tokenBudget;

  /** {@code most_similar_last} (default) or {@code most_similar_first}. */
  public String order = "most_similar_last";

  /**
   * HNSW candidates explored per segment (Lucene's k of the graph search): recall against speed.
   */
  public int candidates = DEFAULT_CANDIDATES;

  public static SelectionRequest of(String query, int k, SelectionMethod method) {
    SelectionRequest r = new SelectionRequest();
    r.query = query;
    r.k = k;
    r.method = method.wireName();
    return r;
  }

  public SelectionRequest validate() {
    return validate("");
  }

  /**
   * Checks every field; {@code prefix} is put before field names in messages (e.g. {@code
   * "selection."}).
   */
  public SelectionRequest validate(String prefix) {
    if (query == null || query.isBlank()) {
      throw new InvalidRequestException(
          prefix + "query", "must be a non-blank string (the input to find demonstrations for)");
    }
    if (k < 1 || k > MAX_K) {
      throw new InvalidRequestException(
          prefix + "k", "illegal value " + k + ": must be in [1, " + MAX_K + "]");
    }
    SelectionMethod.parse(prefix + "method", method);
    if (lambda != null && !(lambda >= 0 && lambda <= 1)) {
      throw new InvalidRequestException(
          prefix + "lambda",
          "illegal value "
              + lambda
              + ": the MMR trade-off must be in [0, 1] (1: relevance only), or absent for no MMR");
    }
    if (tokenBudget != null && tokenBudget < 1) {
      throw new InvalidRequestException(
          prefix + "token_budget",
          "illegal value "
              + tokenBudget
              + ": must be a positive number of tokens, or absent for no limit");
    }
    DemonstrationOrder.parse(prefix + "order", order);
    if (candidates < 1 || candidates > 10_000) {
      throw new InvalidRequestException(
          prefix + "candidates", "illegal value " + candidates + ": must be in [1, 10000]");
    }
    return this;
  }

  public SelectionMethod selectionMethod() {
    return SelectionMethod.parse("method", method);
  }

  public DemonstrationOrder demonstrationOrder() {
    return DemonstrationOrder.parse("order", order);
  }
}
