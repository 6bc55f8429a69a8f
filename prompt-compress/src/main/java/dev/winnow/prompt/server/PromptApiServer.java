package dev.winnow.prompt.server;

import dev.winnow.prompt.PromptCompressor;
import dev.winnow.prompt.model.ProxyLm;
import dev.winnow.prompt.pool.DemonstrationEmbedder;
import dev.winnow.prompt.pool.PoolRegistry;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The prompt API over HTTP (Javalin on Jetty 12): compression, demonstration selection, prompt
 * building, pool management, health, Prometheus metrics and the OpenAPI document ({@code
 * /openapi.yaml}, kept in {@code prompt-compress/src/main/resources/winnow/openapi.yaml}).
 *
 * <p>This class wires the parts and runs the request lifecycle: {@link ApiRoutes} (the endpoints),
 * {@link PromptBuilder} (prompt building), {@link ApiJson} (bodies in and out), {@link ApiErrors}
 * (exceptions to answers), {@link ApiMetrics} ({@code /metrics}). Model work (compression, query
 * embedding, uploads) runs on a bounded {@link WorkQueue} (full, or unable to answer within the
 * request's deadline, {@link RequestDeadline}: 429 with {@code Retry-After}); query embeddings of
 * concurrent requests share model calls ({@link EmbeddingBatcher}), and so do their whole-sequence
 * token scorings and the KV-cached windows of their token-level step ({@link ScoreBatcher}). Errors
 * are JSON, {@code {"error": {"status", "field", "message"}}}, with 400 naming the request field;
 * bodies over {@link ServerConfig#maxBodyBytes()} get 413 (Javalin's request-size limit). {@link
 * #close()} stops taking requests (503), waits for those in flight, then stops.
 *
 * <pre>{@code
 * try (PromptApiServer server = PromptApiServer.start(ServerConfig.defaults(poolDir), lm)) {
 *     System.out.println("listening on " + server.url());
 *     server.awaitShutdown();
 * }
 * }</pre>
 */
public final class PromptApiServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PromptApiServer.class);
  private static final String STARTED = "winnow.started";

  private final ServerConfig config;
  private final PoolRegistry pools;
  private final WorkQueue queue;
  private final EmbeddingBatcher batcher;
  private final ScoreBatcher scoreBatcher;
  private final ApiMetrics metrics;
  private final InFlightRequests inFlight = new InFlightRequests();
  private final Javalin app;
  private boolean closed;

  private PromptApiServer(ServerConfig config, ProxyLm lm) throws IOException {
    this.config = config;
    byte[] openApi = openApi();
    this.scoreBatcher =
        config.maxScoreBatch() == 0
            ? null
            : new ScoreBatcher(lm.engine(), config.maxScoreBatch(), config.scoreWaitMillis());
    PromptCompressor compressor =
        new PromptCompressor(
            scoreBatcher == null ? lm : scoreBatcher.view(lm), config.defaultMode());
    DemonstrationEmbedder embedder =
        new DemonstrationEmbedder(lm, DemonstrationEmbedder.DEFAULT_EMBED_TOKENS);
    this.pools = new PoolRegistry(config.pools(), embedder);
    this.queue =
        new WorkQueue(
            config.workers(), config.queueCapacity(), config.deadlineSafety(), System::nanoTime);
    this.batcher = new EmbeddingBatcher(embedder, config.maxEmbedBatch());
    this.metrics = new ApiMetrics(queue, inFlight, pools, batcher, scoreBatcher);
    PromptBuilder builder =
        new PromptBuilder(compressor, lm::oaiTokens, batcher, metrics::compressed);
    ApiRoutes routes =
        new ApiRoutes(compressor, builder, pools, queue, batcher, metrics, inFlight, openApi);

    this.app =
        Javalin.create(
            c -> {
              c.startup.showJavalinBanner = false;
              c.startup.showOldJavalinVersionWarning = false;
              c.http.maxRequestSize = config.maxBodyBytes();
              c.jetty.host = config.host();
              c.jetty.port = config.port();
              c.routes.beforeMatched(this::admit);
              routes.register(c.routes);
              c.routes.afterMatched(this::finish);
              ApiErrors.register(c.routes, config.maxBodyBytes());
            });
    app.start();
  }

  /** Opens the pools under {@code config.pools()} and starts listening. */
  public static PromptApiServer start(ServerConfig config, ProxyLm lm) throws IOException {
    return new PromptApiServer(config, lm);
  }

  private static byte[] openApi() throws IOException {
    try (InputStream in = PromptApiServer.class.getResourceAsStream("/winnow/openapi.yaml")) {
      if (in == null) {
        throw new IOException(
            "the OpenAPI document winnow/openapi.yaml is missing from the class path; rebuild");
      }
      return in.readAllBytes();
    }
  }

  public int port() {
    return app.port();
  }

  public String url() {
    String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
    return "http://" + host + ":" + port();
  }

  public PoolRegistry pools() {
    return pools;
  }

  /** The shared scoring batcher (null when {@code maxScoreBatch} is 0), for tests. */
  ScoreBatcher scoreBatcher() {
    return scoreBatcher;
  }

  /** Whether {@link #close()} has begun (new requests get 503), for tests. */
  boolean draining() {
    return inFlight.draining();
  }

  /**
   * Before every matched endpoint: counts the request in flight (until {@link #finish}, which runs
   * after the answer, error or not, has been sent), then refuses it while shutting down (503) or
   * without the API key where the route needs one (401), and sets its deadline.
   */
  private void admit(Context ctx) {
    long arrived = System.nanoTime();
    ctx.attribute(STARTED, arrived);
    inFlight.enter();
    if (inFlight.draining()) {
      throw new ApiException(503, null, "the server is shutting down; retry on another instance");
    }
    if (ctx.routeRoles().contains(ApiRoutes.Access.KEY) && !authorized(ctx)) {
      ctx.header("WWW-Authenticate", "Bearer");
      throw new ApiException(
          401, null, "missing or wrong API key: send Authorization: Bearer KEY or X-API-Key: KEY");
    }
    RequestDeadline.set(ctx, arrived, config.requestDeadline());
  }

  private void finish(Context ctx) {
    Long started = ctx.attribute(STARTED);
    if (started == null) {
      return;
    }
    try {
      metrics.request(
          ApiRoutes.route(ctx), ctx.method().name(), ctx.statusCode(), System.nanoTime() - started);
    } finally {
      inFlight.exit();
    }
  }

  private boolean authorized(Context ctx) {
    if (config.apiKey() == null) {
      return true;
    }
    String given = ctx.header("X-API-Key");
    String auth = ctx.header("Authorization");
    if (given == null && auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      given = auth.substring(7).trim();
    }
    return given != null
        && MessageDigest.isEqual(
            given.getBytes(StandardCharsets.UTF_8),
            config.apiKey().getBytes(StandardCharsets.UTF_8));
  }

  /** Blocks until the server has been closed (by {@link #close()} from another thread). */
  public void awaitShutdown() throws InterruptedException {
    synchronized (this) {
      while (!closed) {
        wait();
      }
    }
  }

  /**
   * Graceful shutdown: new requests get 503, requests in flight finish (up to the configured
   * timeout), then the HTTP server, the queue and the pools (committed) are closed.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
    }
    int left = inFlight.drain(config.shutdownTimeout());
    if (left > 0) {
      LOG.warn("shutdown timeout: {} requests still in flight are cut off", left);
    }
    app.stop();
    queue.close();
    batcher.close();
    if (scoreBatcher != null) {
      scoreBatcher.close();
    }
    pools.close();
    metrics.close();
    synchronized (this) {
      closed = true;
      notifyAll();
    }
  }
}
