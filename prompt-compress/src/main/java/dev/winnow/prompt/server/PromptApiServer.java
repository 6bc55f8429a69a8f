package dev.winnow.prompt.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.winnow.prompt.CompressionRequest;
import dev.winnow.prompt.CompressionResult;
import dev.winnow.prompt.InvalidRequestException;
import dev.winnow.prompt.PromptCompressor;
import dev.winnow.prompt.model.ProxyLm;
import dev.winnow.prompt.pool.Demonstration;
import dev.winnow.prompt.pool.DemonstrationEmbedder;
import dev.winnow.prompt.pool.DemonstrationJson;
import dev.winnow.prompt.pool.DemonstrationPool;
import dev.winnow.prompt.pool.DemonstrationSelector;
import dev.winnow.prompt.pool.PoolRegistry;
import dev.winnow.prompt.pool.SelectedDemonstration;
import dev.winnow.prompt.pool.SelectionRequest;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The prompt API over HTTP (Javalin on Jetty 12): compression, demonstration selection, prompt
 * building, pool management, health, Prometheus metrics and the OpenAPI document
 * ({@code /openapi.yaml}, kept in {@code prompt-compress/src/main/resources/winnow/openapi.yaml}).
 *
 * <p>Model work (compression, query embedding, uploads) runs on a bounded {@link WorkQueue} (full:
 * 429); query embeddings of concurrent requests share model calls ({@link EmbeddingBatcher}), and so
 * do their whole-sequence token scorings and the KV-cached windows of their token-level step
 * ({@link ScoreBatcher}). Errors
 * are JSON, {@code {"error": {"status", "field", "message"}}}, with 400 naming the request field.
 * {@link #close()} stops taking requests (503), waits for those in flight, then stops.
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
    private static final ObjectMapper MAPPER = PromptCompressor.MAPPER;
    private static final String JSON = "application/json";

    private final ServerConfig config;
    private final ProxyLm lm;
    private final PromptCompressor compressor;
    private final DemonstrationEmbedder embedder;
    private final PoolRegistry pools;
    private final WorkQueue queue;
    private final EmbeddingBatcher batcher;
    private final ScoreBatcher scoreBatcher;
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter originTokens;
    private final Counter compressedTokens;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Object drained = new Object();
    private final byte[] openApi;
    private volatile boolean draining;
    private final Javalin app;

    private PromptApiServer(ServerConfig config, ProxyLm lm) throws IOException {
        this.config = config;
        this.lm = lm;
        this.scoreBatcher = config.maxScoreBatch() == 0 ? null
                : new ScoreBatcher(lm.engine(), config.maxScoreBatch(), config.scoreWaitMillis());
        this.compressor = new PromptCompressor(scoreBatcher == null ? lm : scoreBatcher.view(lm),
                config.defaultMode());
        this.embedder = new DemonstrationEmbedder(lm, DemonstrationEmbedder.DEFAULT_EMBED_TOKENS);
        this.pools = new PoolRegistry(config.pools(), embedder);
        this.queue = new WorkQueue(config.workers(), config.queueCapacity());
        this.batcher = new EmbeddingBatcher(embedder, config.maxEmbedBatch());
        try (InputStream in = PromptApiServer.class.getResourceAsStream("/winnow/openapi.yaml")) {
            if (in == null) {
                throw new IOException("the OpenAPI document winnow/openapi.yaml is missing from the class path; rebuild");
            }
            this.openApi = in.readAllBytes();
        }
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        Gauge.builder("winnow.queue.waiting", queue, WorkQueue::waiting).description("model jobs waiting").register(metrics);
        Gauge.builder("winnow.queue.running", queue, WorkQueue::running).description("model jobs running").register(metrics);
        Gauge.builder("winnow.requests.inflight", inFlight, AtomicInteger::get).register(metrics);
        Gauge.builder("winnow.pools", pools, p -> p.names().size()).description("demonstration pools open").register(metrics);
        FunctionCounter.builder("winnow.embed.batches", batcher, EmbeddingBatcher::calls)
                .description("model calls that embedded queries").register(metrics);
        FunctionCounter.builder("winnow.embed.sequences", batcher, EmbeddingBatcher::sequences)
                .description("queries embedded (sequences / batches = mean batch size)").register(metrics);
        if (scoreBatcher != null) {
            FunctionCounter.builder("winnow.score.batches", scoreBatcher, ScoreBatcher::calls)
                    .description("engine calls that scored whole sequences for compression").register(metrics);
            FunctionCounter.builder("winnow.score.sequences", scoreBatcher, ScoreBatcher::sequences)
                    .description("sequences scored (sequences / batches = mean batch size)").register(metrics);
            FunctionCounter.builder("winnow.score.submissions", scoreBatcher, ScoreBatcher::submissions)
                    .description("scoring calls of requests (submissions / batches > 1: requests shared engine calls)")
                    .register(metrics);
            FunctionCounter.builder("winnow.session.batches", scoreBatcher, ScoreBatcher::appendCalls)
                    .description("forward passes that ran KV-cached windows of compression requests").register(metrics);
            FunctionCounter.builder("winnow.session.appends", scoreBatcher, ScoreBatcher::appends)
                    .description("windows appended (appends / batches > 1: requests shared forward passes)").register(metrics);
        }
        originTokens = Counter.builder("winnow.compress.origin.tokens").description("cl100k tokens before compression").register(metrics);
        compressedTokens = Counter.builder("winnow.compress.compressed.tokens").description("cl100k tokens after compression").register(metrics);

        this.app = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.startup.showOldJavalinVersionWarning = false;
            c.http.maxRequestSize = config.maxBodyBytes();
            c.jetty.host = config.host();
            c.jetty.port = config.port();
            c.routes.post("/v1/compress", endpoint("/v1/compress", true, this::compress));
            c.routes.post("/v1/demonstrations/select", endpoint("/v1/demonstrations/select", true, this::select));
            c.routes.post("/v1/prompts/build", endpoint("/v1/prompts/build", true, this::build));
            c.routes.get("/v1/pools", endpoint("/v1/pools", true, this::listPools));
            c.routes.put("/v1/pools/{pool}", endpoint("/v1/pools/{pool}", true, this::createPool));
            c.routes.get("/v1/pools/{pool}", endpoint("/v1/pools/{pool}", true, this::poolInfo));
            c.routes.delete("/v1/pools/{pool}", endpoint("/v1/pools/{pool}", true, this::dropPool));
            c.routes.post("/v1/pools/{pool}/demonstrations", endpoint("/v1/pools/{pool}/demonstrations", true, this::upload));
            c.routes.get("/v1/pools/{pool}/demonstrations/{id}", endpoint("/v1/pools/{pool}/demonstrations/{id}", true, this::getDemonstration));
            c.routes.delete("/v1/pools/{pool}/demonstrations/{id}", endpoint("/v1/pools/{pool}/demonstrations/{id}", true, this::deleteDemonstration));
            c.routes.get("/healthz", endpoint("/healthz", false, this::health));
            c.routes.get("/metrics", endpoint("/metrics", true, ctx -> send(ctx, 200, "text/plain; version=0.0.4; charset=utf-8",
                    metrics.scrape().getBytes(StandardCharsets.UTF_8))));
            c.routes.get("/openapi.yaml", endpoint("/openapi.yaml", true, ctx -> send(ctx, 200, "application/yaml", openApi)));
            c.routes.error(404, "*", ctx -> {
                if (ctx.attribute(SENT) == null) {
                    writeError(ctx, 404, null, "no endpoint " + ctx.method() + " " + ctx.path() + "; see GET /openapi.yaml");
                }
            });
        });
        app.start();
    }

    /** Opens the pools under {@code config.pools()} and starts listening. */
    public static PromptApiServer start(ServerConfig config, ProxyLm lm) throws IOException {
        return new PromptApiServer(config, lm);
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

    // ---- endpoints ----

    private void compress(Context ctx) throws Exception {
        CompressionRequest request = PromptCompressor.parse(new String(body(ctx), StandardCharsets.UTF_8));
        request.validate();
        CompressionResult result = queue.run(() -> compressor.compress(request));
        count(result);
        json(ctx, 200, result);
    }

    private void select(Context ctx) throws Exception {
        SelectionRequest request = read(body(ctx), SelectionRequest.class);
        if (request.pool == null) {
            throw new InvalidRequestException("pool", "required: the name of the pool to select from");
        }
        request.validate();
        DemonstrationPool pool = pool(request.pool, "pool");
        List<SelectedDemonstration> selected = queue.run(() -> DemonstrationSelector.select(pool, request, text -> embed(pool, text)));
        ObjectNode out = MAPPER.createObjectNode();
        out.put("pool", request.pool);
        out.put("method", request.selectionMethod().wireName());
        out.set("demonstrations", MAPPER.valueToTree(selected));
        out.put("tokens", selected.stream().mapToInt(SelectedDemonstration::tokens).sum());
        json(ctx, 200, out);
    }

    private void build(Context ctx) throws Exception {
        long t0 = System.nanoTime();
        BuildRequest request = read(body(ctx), BuildRequest.class);
        if (request.pool == null) {
            throw new InvalidRequestException("pool", "required: the name of the pool to select demonstrations from");
        }
        SelectionRequest selection = request.selection().validate();
        if (request.instruction == null) {
            throw new InvalidRequestException("instruction", "must be a string (\"\" for none), not null");
        }
        List<String> extra = request.context == null ? List.of() : request.context;
        for (int i = 0; i < extra.size(); i++) {
            if (extra.get(i) == null || extra.get(i).isEmpty()) {
                throw new InvalidRequestException("context[" + i + "]", "is null or empty; remove it or give it text");
            }
        }
        ObjectNode compression = request.compression == null ? MAPPER.createObjectNode() : request.compression.deepCopy();
        for (String f : List.of("context", "instruction", "question")) {
            if (compression.has(f)) {
                throw new InvalidRequestException("compression." + f, "is filled in by the build; give it at the top level "
                        + "(\"instruction\", \"query\", \"context\")");
            }
        }
        String question = Demonstration.renderQuery(request.query);
        compression.set("context", MAPPER.createArrayNode().add("placeholder"));
        compression.put("instruction", request.instruction);
        compression.put("question", question);
        CompressionRequest check = prefixed("compression.", () -> PromptCompressor.parse(compression.toString()).validate());
        DemonstrationPool pool = pool(request.pool, "pool");

        ObjectNode out = queue.run(() -> {
            List<SelectedDemonstration> selected = DemonstrationSelector.select(pool, selection, text -> embed(pool, text));
            List<String> contexts = new ArrayList<>();
            selected.forEach(d -> contexts.add(d.demonstration().render()));
            contexts.addAll(extra);
            ObjectNode o = MAPPER.createObjectNode();
            o.set("demonstrations", MAPPER.valueToTree(selected));
            if (request.compress && !contexts.isEmpty()) {
                check.context = contexts;
                CompressionResult result = prefixed("compression.", () -> compressor.compress(check));
                count(result);
                o.put("prompt", result.compressedPrompt());
                o.put("origin_tokens", result.originTokens());
                o.put("compressed_tokens", result.compressedTokens());
                o.put("ratio", result.ratio());
                o.set("compression", MAPPER.valueToTree(result));
            } else {
                List<String> parts = new ArrayList<>();
                if (!request.instruction.isEmpty()) {
                    parts.add(request.instruction);
                }
                parts.addAll(contexts);
                parts.add(question);
                String prompt = String.join("\n\n", parts);
                int tokens = lm.oaiTokens(prompt);
                o.put("prompt", prompt);
                o.put("origin_tokens", tokens);
                o.put("compressed_tokens", tokens);
                o.put("ratio", "1.0x");
            }
            return o;
        });
        out.put("latency_ms", (System.nanoTime() - t0) / 1e6);
        json(ctx, 200, out);
    }

    private void listPools(Context ctx) {
        ArrayNode list = MAPPER.createArrayNode();
        for (String name : pools.names()) {
            pools.get(name).ifPresent(p -> list.add(info(name, p)));
        }
        json(ctx, 200, MAPPER.createObjectNode().set("pools", list));
    }

    private void createPool(Context ctx) throws Exception {
        String name = PoolRegistry.checkName("pool", ctx.pathParam("pool"));
        Map.Entry<DemonstrationPool, Boolean> created = queue.run(() -> pools.getOrCreate(name));
        json(ctx, created.getValue() ? 201 : 200, info(name, created.getKey()));
    }

    private void poolInfo(Context ctx) {
        String name = PoolRegistry.checkName("pool", ctx.pathParam("pool"));
        json(ctx, 200, info(name, pool(name, "pool")));
    }

    private void dropPool(Context ctx) {
        String name = PoolRegistry.checkName("pool", ctx.pathParam("pool"));
        if (!pools.drop(name)) {
            throw noPool(name, "pool");
        }
        json(ctx, 200, MAPPER.createObjectNode().put("pool", name).put("deleted", true));
    }

    private void upload(Context ctx) throws Exception {
        String name = PoolRegistry.checkName("pool", ctx.pathParam("pool"));
        DemonstrationPool pool = pool(name, "pool");
        byte[] body = body(ctx);
        List<Demonstration> demos = new ArrayList<>();
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
        if (type.startsWith("application/x-ndjson") || type.startsWith("application/jsonl")) {
            DemonstrationJson.readLines(new java.io.ByteArrayInputStream(body), line -> {
                if (line.error() != null) {
                    throw new InvalidRequestException("line " + line.number(), line.error());
                }
                demos.add(line.demonstration());
            });
        } else {
            JsonNode root = read(body, JsonNode.class);
            JsonNode items = root;
            String prefix = "";
            if (root.isObject()) {
                items = root.get("demonstrations");
                prefix = "demonstrations";
                List<String> other = new ArrayList<>();
                root.fieldNames().forEachRemaining(f -> {
                    if (!f.equals("demonstrations")) {
                        other.add(f);
                    }
                });
                if (!other.isEmpty()) {
                    throw new InvalidRequestException(other.get(0), "unknown field; the body is {\"demonstrations\": [...]}");
                }
            }
            if (items == null || !items.isArray()) {
                throw new InvalidRequestException(prefix.isEmpty() ? "request" : prefix,
                        "must be a list of {\"id\", \"input\", \"output\", \"meta\"} (or send JSON lines as application/x-ndjson)");
            }
            for (int i = 0; i < items.size(); i++) {
                demos.add(DemonstrationJson.parse(items.get(i), prefix + "[" + i + "]"));
            }
        }
        queue.run(() -> {
            pool.upsert(demos);
            return null;
        });
        json(ctx, 200, MAPPER.createObjectNode().put("pool", name).put("upserted", demos.size()).put("demonstrations", pool.size()));
    }

    private void getDemonstration(Context ctx) {
        String name = PoolRegistry.checkName("pool", ctx.pathParam("pool"));
        String id = ctx.pathParam("id");
        Demonstration d = pool(name, "pool").get(id)
                .orElseThrow(() -> new ApiException(404, "id", "pool " + name + " has no demonstration with id \"" + id + "\""));
        json(ctx, 200, d);
    }

    private void deleteDemonstration(Context ctx) throws Exception {
        String name = PoolRegistry.checkName("pool", ctx.pathParam("pool"));
        String id = ctx.pathParam("id");
        DemonstrationPool pool = pool(name, "pool");
        if (!queue.run(() -> pool.delete(id))) {
            throw new ApiException(404, "id", "pool " + name + " has no demonstration with id \"" + id + "\"");
        }
        json(ctx, 200, MAPPER.createObjectNode().put("pool", name).put("id", id).put("deleted", true)
                .put("demonstrations", pool.size()));
    }

    private void health(Context ctx) {
        json(ctx, 200, MAPPER.createObjectNode().put("status", draining ? "draining" : "ok").put("pools", pools.names().size()));
    }

    // ---- helpers ----

    private float[] embed(DemonstrationPool pool, String text) {
        return batcher.embed(pool.embedder().tokens(text));
    }

    private ObjectNode info(String name, DemonstrationPool p) {
        return MAPPER.createObjectNode().put("name", name).put("demonstrations", p.size())
                .put("dimension", p.settings().dimension()).put("embed_tokens", p.settings().embedTokens())
                .put("segments", p.segments());
    }

    private DemonstrationPool pool(String name, String field) {
        return pools.get(name).orElseThrow(() -> noPool(name, field));
    }

    private static ApiException noPool(String name, String field) {
        return new ApiException(404, field, "no pool named \"" + name + "\"; create it with PUT /v1/pools/" + name
                + " or list them with GET /v1/pools");
    }

    private void count(CompressionResult r) {
        originTokens.increment(r.originTokens());
        compressedTokens.increment(r.compressedTokens());
    }

    private interface Step<T> {
        T run() throws Exception;
    }

    /** Runs {@code step}, putting {@code prefix} before the field of a bad-request error. */
    private static <T> T prefixed(String prefix, Step<T> step) throws Exception {
        try {
            return step.run();
        } catch (InvalidRequestException e) {
            throw new InvalidRequestException(prefix + e.field(), e.getMessage().substring(e.field().length() + 2));
        }
    }

    private static <T> T read(byte[] body, Class<T> type) {
        try {
            T value = MAPPER.readValue(body, type);
            if (value == null) {
                throw new InvalidRequestException("request", "empty body; expected a JSON object");
            }
            return value;
        } catch (JsonMappingException e) {
            String field = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            throw new InvalidRequestException(field.isEmpty() ? "request" : field, e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException("request", "not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidRequestException("request", "unreadable body: " + e.getMessage());
        }
    }

    /** The request body, refusing one over the limit (413) whether or not it declares its length. */
    private byte[] body(Context ctx) throws IOException {
        long limit = config.maxBodyBytes();
        long declared = ctx.req().getContentLengthLong();
        if (declared > limit) {
            throw tooLarge(declared);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Math.max(declared, 1024), limit));
        byte[] buf = new byte[1 << 16];
        try (InputStream in = ctx.req().getInputStream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
                if (out.size() > limit) {
                    throw tooLarge(out.size());
                }
            }
        }
        if (out.size() == 0) {
            throw new InvalidRequestException("request", "empty body; expected a JSON object");
        }
        return out.toByteArray();
    }

    private ApiException tooLarge(long size) {
        return new ApiException(413, null, "the body is " + (size > config.maxBodyBytes() ? "over " : "") + config.maxBodyBytes()
                + " bytes, the server's limit (winnow serve --max-body-bytes)");
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
        return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                config.apiKey().getBytes(StandardCharsets.UTF_8));
    }

    private Handler endpoint(String route, boolean needsKey, Handler handler) {
        return ctx -> {
            long t0 = System.nanoTime();
            inFlight.incrementAndGet();
            try {
                if (draining) {
                    throw new ApiException(503, null, "the server is shutting down; retry on another instance");
                }
                if (needsKey && !authorized(ctx)) {
                    ctx.header("WWW-Authenticate", "Bearer");
                    throw new ApiException(401, null, "missing or wrong API key: send Authorization: Bearer KEY or X-API-Key: KEY");
                }
                handler.handle(ctx);
            } catch (ApiException e) {
                if (e.status() == 429) {
                    ctx.header("Retry-After", "1");
                }
                writeError(ctx, e.status(), e.field(), e.getMessage());
            } catch (InvalidRequestException e) {
                writeError(ctx, 400, e.field(), e.getMessage());
            } catch (Exception e) {
                LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
                writeError(ctx, 500, null, "internal error: " + e);
            } finally {
                Timer.builder("winnow.http.requests").tag("route", route).tag("method", ctx.method().name())
                        .tag("status", Integer.toString(ctx.statusCode())).register(metrics)
                        .record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
                if (inFlight.decrementAndGet() == 0) {
                    synchronized (drained) {
                        drained.notifyAll();
                    }
                }
            }
        };
    }

    private static void json(Context ctx, int status, Object body) {
        try {
            send(ctx, status, JSON, MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the response as JSON", e);
        }
    }

    private static final String SENT = "winnow.sent";

    /**
     * Writes and flushes the whole response inside the handler, so that a request counted as finished
     * by the graceful shutdown has really been answered.
     */
    private static void send(Context ctx, int status, String contentType, byte[] body) {
        try {
            ctx.status(status).contentType(contentType);
            ctx.res().setContentLength(body.length);
            var out = ctx.res().getOutputStream();
            out.write(body);
            out.flush();
            ctx.attribute(SENT, Boolean.TRUE);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot send the response: " + e.getMessage(), e);
        }
    }

    private static void writeError(Context ctx, int status, String field, String message) {
        ObjectNode error = MAPPER.createObjectNode().put("status", status);
        if (field != null) {
            error.put("field", field);
        }
        error.put("message", message);
        json(ctx, status, MAPPER.createObjectNode().set("error", error));
    }

    /** Blocks until the server has been closed (by {@link #close()} from another thread). */
    public void awaitShutdown() throws InterruptedException {
        synchronized (this) {
            while (!closed) {
                wait();
            }
        }
    }

    private boolean closed;

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
        draining = true;
        long deadline = System.nanoTime() + config.shutdownTimeout().toNanos();
        synchronized (drained) {
            while (inFlight.get() > 0 && System.nanoTime() < deadline) {
                try {
                    drained.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        if (inFlight.get() > 0) {
            LOG.warn("shutdown timeout: {} requests still in flight are cut off", inFlight.get());
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
