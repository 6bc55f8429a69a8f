package dev.winnow.prompt.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.winnow.prompt.CompressionRequest;
import dev.winnow.prompt.CompressionResult;
import dev.winnow.prompt.InvalidRequestException;
import dev.winnow.prompt.PromptCompressor;
import dev.winnow.prompt.pool.Demonstration;
import dev.winnow.prompt.pool.DemonstrationPool;
import dev.winnow.prompt.pool.DemonstrationSelector;
import dev.winnow.prompt.pool.PoolRegistry;
import dev.winnow.prompt.pool.SelectedDemonstration;
import dev.winnow.prompt.pool.SelectionRequest;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.javalin.security.RouteRole;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The endpoints of the prompt API (documented in {@code /openapi.yaml}): each parses its request,
 * runs the model work on the {@link WorkQueue} under the request's deadline, and sends its answer;
 * errors are thrown and answered by {@link ApiErrors}.
 */
final class ApiRoutes {
  /** Who may call a route: everyone, or only a client with the API key (when one is configured). */
  enum Access implements RouteRole {
    OPEN,
    KEY
  }

  private final PromptCompressor compressor;
  private final PromptBuilder builder;
  private final PoolRegistry pools;
  private final WorkQueue queue;
  private final EmbeddingBatcher embeddings;
  private final ApiMetrics metrics;
  private final InFlightRequests inFlight;
  private final byte[] openApi;

  ApiRoutes(
      PromptCompressor compressor,
      PromptBuilder builder,
      PoolRegistry pools,
      WorkQueue queue,
      EmbeddingBatcher embeddings,
      ApiMetrics metrics,
      InFlightRequests inFlight,
      byte[] openApi) {
    this.compressor = compressor;
    this.builder = builder;
    this.pools = pools;
    this.queue = queue;
    this.embeddings = embeddings;
    this.metrics = metrics;
    this.inFlight = inFlight;
    this.openApi = openApi;
  }

  void register(RoutesConfig routes) {
    routes.post("/v1/compress", this::compress, Access.KEY);
    routes.post("/v1/demonstrations/select", this::select, Access.KEY);
    routes.post("/v1/prompts/build", this::build, Access.KEY);
    routes.get("/v1/pools", this::listPools, Access.KEY);
    routes.put("/v1/pools/{pool}", this::createPool, Access.KEY);
    routes.get("/v1/pools/{pool}", this::poolInfo, Access.KEY);
    routes.delete("/v1/pools/{pool}", this::dropPool, Access.KEY);
    routes.post("/v1/pools/{pool}/demonstrations", this::upload, Access.KEY);
    routes.get("/v1/pools/{pool}/demonstrations/{id}", this::getDemonstration, Access.KEY);
    routes.delete("/v1/pools/{pool}/demonstrations/{id}", this::deleteDemonstration, Access.KEY);
    routes.get("/healthz", this::health, Access.OPEN);
    routes.get(
        "/metrics",
        ctx -> ApiJson.send(ctx, 200, ApiMetrics.CONTENT_TYPE, metrics.scrape()),
        Access.KEY);
    routes.get(
        "/openapi.yaml", ctx -> ApiJson.send(ctx, 200, "application/yaml", openApi), Access.KEY);
  }

  private void compress(Context ctx) throws Exception {
    CompressionRequest request =
        PromptCompressor.parse(new String(ApiJson.body(ctx), StandardCharsets.UTF_8));
    request.validate();
    // one context and several cost differently (the latter are ranked first): apart in the queue
    int contexts = request.context == null ? 0 : request.context.size();
    CompressionResult result =
        work(
            ctx,
            route(ctx) + " contexts>=" + Integer.highestOneBit(Math.max(1, contexts)),
            () -> compressor.compress(request));
    metrics.compressed(result);
    ApiJson.json(ctx, 200, result);
  }

  private void select(Context ctx) throws Exception {
    SelectionRequest request = ApiJson.read(ApiJson.body(ctx), SelectionRequest.class);
    if (request.pool == null) {
      throw new InvalidRequestException("pool", "required: the name of the pool to select from");
    }
    request.validate();
    DemonstrationPool pool = pool(request.pool, "pool");
    List<SelectedDemonstration> selected =
        work(
            ctx, () -> DemonstrationSelector.select(pool, request, embeddings.queryEmbedder(pool)));
    ObjectNode out = ApiJson.MAPPER.createObjectNode();
    out.put("pool", request.pool);
    out.put("method", request.selectionMethod().wireName());
    out.set("demonstrations", ApiJson.MAPPER.valueToTree(selected));
    out.put("tokens", selected.stream().mapToInt(SelectedDemonstration::tokens).sum());
    ApiJson.json(ctx, 200, out);
  }

  private void build(Context ctx) throws Exception {
    long t0 = System.nanoTime();
    PromptBuilder.Plan plan = builder.plan(ApiJson.read(ApiJson.body(ctx), BuildRequest.class));
    DemonstrationPool pool = pool(plan.pool(), "pool");
    ObjectNode out = work(ctx, () -> builder.build(plan, pool));
    out.put("latency_ms", (System.nanoTime() - t0) / 1e6);
    ApiJson.json(ctx, 200, out);
  }

  private void listPools(Context ctx) {
    ArrayNode list = ApiJson.MAPPER.createArrayNode();
    for (String name : pools.names()) {
      pools.get(name).ifPresent(p -> list.add(info(name, p)));
    }
    ApiJson.json(ctx, 200, ApiJson.MAPPER.createObjectNode().set("pools", list));
  }

  private void createPool(Context ctx) throws Exception {
    String name = PoolRegistry.checkName("pool", ctx.pathParam("pool"));
    Map.Entry<DemonstrationPool, Boolean> created = work(ctx, () -> pools.getOrCreate(name));
    ApiJson.json(ctx, created.getValue() ? 201 : 200, info(name, created.getKey()));
  }

  private void poolInfo(Context ctx) {
    String name = PoolRegistry.checkName("pool", ctx.pathParam("pool"));
    ApiJson.json(ctx, 200, info(name, pool(name, "pool")));
  }

  private void dropPool(Context ctx) {
    String name = PoolRegistry.checkName("pool", ctx.pathParam("pool"));
    if (!pools.drop(name)) {
      throw noPool(name, "pool");
    }
    ApiJson.json(
        ctx, 200, ApiJson.MAPPER.createObjectNode().put("pool", name).put("deleted", true));
  }

  private void upload(Context ctx) throws Exception {
    String name = PoolRegistry.checkName("pool", ctx.pathParam("pool"));
    DemonstrationPool pool = pool(name, "pool");
    List<Demonstration> demos = DemonstrationUpload.parse(ApiJson.body(ctx), ctx.contentType());
    work(
        ctx,
        () -> {
          pool.upsert(demos);
          return null;
        });
    ApiJson.json(
        ctx,
        200,
        ApiJson.MAPPER
            .createObjectNode()
            .put("pool", name)
            .put("upserted", demos.size())
            .put("demonstrations", pool.size()));
  }

  private void getDemonstration(Context ctx) {
    String name = PoolRegistry.checkName("pool", ctx.pathParam("pool"));
    String id = ctx.pathParam("id");
    Demonstration d = pool(name, "pool").get(id).orElseThrow(() -> noDemonstration(name, id));
    ApiJson.json(ctx, 200, d);
  }

  private void deleteDemonstration(Context ctx) throws Exception {
    String name = PoolRegistry.checkName("pool", ctx.pathParam("pool"));
    String id = ctx.pathParam("id");
    DemonstrationPool pool = pool(name, "pool");
    if (!work(ctx, () -> pool.delete(id))) {
      throw noDemonstration(name, id);
    }
    ApiJson.json(
        ctx,
        200,
        ApiJson.MAPPER
            .createObjectNode()
            .put("pool", name)
            .put("id", id)
            .put("deleted", true)
            .put("demonstrations", pool.size()));
  }

  private void health(Context ctx) {
    ApiJson.json(
        ctx,
        200,
        ApiJson.MAPPER
            .createObjectNode()
            .put("status", inFlight.draining() ? "draining" : "ok")
            .put("pools", pools.names().size()));
  }

  /**
   * Runs {@code job} on the work queue, as the kind of its route, its body's bytes as the size of
   * its work, and under the request's deadline.
   */
  private <T> T work(Context ctx, Callable<T> job) throws Exception {
    return work(ctx, route(ctx), job);
  }

  /**
   * {@link #work(Context, Callable)} as a job of {@code kind} (the route and the request's shape).
   */
  private <T> T work(Context ctx, String kind, Callable<T> job) throws Exception {
    return queue.run(kind, ctx.bodyAsBytes().length, RequestDeadline.of(ctx), job);
  }

  /**
   * The route template of the endpoint that matched ({@code /v1/pools/{pool}}), for metrics and the
   * queue.
   */
  static String route(Context ctx) {
    Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
    return endpoint == null ? "unmatched" : endpoint.path;
  }

  private ObjectNode info(String name, DemonstrationPool p) {
    return ApiJson.MAPPER
        .createObjectNode()
        .put("name", name)
        .put("demonstrations", p.size())
        .put("dimension", p.settings().dimension())
        .put("embed_tokens", p.settings().embedTokens())
        .put("segments", p.segments());
  }

  private DemonstrationPool pool(String name, String field) {
    return pools.get(name).orElseThrow(() -> noPool(name, field));
  }

  private static ApiException noPool(String name, String field) {
    return new ApiException(
        404,
        field,
        "no pool named \""
            + name
            + "\"; create it with PUT /v1/pools/"
            + name
            + " or list them with GET /v1/pools");
  }

  private static ApiException noDemonstration(String pool, String id) {
    return new ApiException(
        404, "id", "pool " + pool + " has no demonstration with id \"" + id + "\"");
  }
}
