package dev.winnow.prompt.server;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.winnow.prompt.pool.SelectionRequest;
import java.util.List;

/**
 * The body of {@code POST /v1/prompts/build}: an instruction, a query, a pool and how to select
 * from it (the fields of {@code /v1/demonstrations/select}), optional extra context, and the
 * compression parameters ({@code compression}: any field of {@code /v1/compress} but {@code
 * context}, {@code instruction} and {@code question}, which the build fills in).
 */
public final class BuildRequest {
  public String instruction = "";
  public String query;
  public String pool;
  public int k = 8;
  public String method = "knn";
  public Double lambda;

  @JsonProperty("token_budget")
  public Integer tokenBudget;

  public String order = "most_similar_last";
  public int candidates = SelectionRequest.DEFAULT_CANDIDATES;

  /** Extra context put after the demonstrations, compressed with them. */
  @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
  public List<String> context = List.of();

  /** Whether to compress the assembled prompt (default true). */
  public boolean compress = true;

  public ObjectNode compression;

  SelectionRequest selection() {
    SelectionRequest r = new SelectionRequest();
    r.query = query;
    r.pool = pool;
    r.k = k;
    r.method = method;
    r.lambda = lambda;
    r.tokenBudget = tokenBudget;
    r.order = order;
    r.candidates = candidates;
    return r;
  }
}
