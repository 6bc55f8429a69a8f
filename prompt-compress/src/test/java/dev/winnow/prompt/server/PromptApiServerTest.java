package dev.winnow.prompt.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.winnow.prompt.ReferenceCases;
import dev.winnow.prompt.model.ProxyLm;
import dev.winnow.prompt.pool.Demonstration;
import dev.winnow.prompt.pool.NewsDemonstrations;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The prompt API over a real Jetty server on a loopback port: every endpoint, every error code,
 * restart, shutdown.
 */
class PromptApiServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  @TempDir static Path root;
  private static ProxyLm lm;
  private static PromptApiServer server;
  private static List<Demonstration> demos;

  record Response(int status, String body, HttpResponse<String> raw) {
    JsonNode json() throws Exception {
      return JSON.readTree(body);
    }

    String field() throws Exception {
      return json().path("error").path("field").asText(null);
    }
  }

  @BeforeAll
  static void start() throws Exception {
    lm = ReferenceCases.proxyMini();
    server =
        PromptApiServer.start(
            ServerConfig.defaults(root.resolve("pools")).withLimits(256 * 1024, 2, 16), lm);
    demos = NewsDemonstrations.load(0, 60);
    assertEquals(201, call(server, "PUT", "/v1/pools/news", null).status());
    ArrayNode body = JSON.valueToTree(demos);
    Response up = call(server, "POST", "/v1/pools/news/demonstrations", body.toString());
    assertEquals(200, up.status(), up.body());
    assertEquals(60, up.json().get("demonstrations").asInt());
  }

  @AfterAll
  static void stop() {
    server.close();
    lm.close();
  }

  static Response call(
      PromptApiServer s, String method, String path, String body, String... headers)
      throws Exception {
    return call(s.url(), method, path, body, headers);
  }

  static Response call(String url, String method, String path, String body, String... headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      b.headers(headers);
    }
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Response(r.statusCode(), r.body(), r);
  }

  private static String compressBody(double rate) {
    ObjectNode o = JSON.createObjectNode();
    o.putArray("context").add(demos.get(0).input()).add(demos.get(1).input());
    o.put("question", "What happened?");
    o.put("rate", rate);
    return o.toString();
  }

  @Test
  void healthMetricsAndOpenApi() throws Exception {
    Response h = call(server, "GET", "/healthz", null);
    assertEquals(200, h.status());
    assertEquals("ok", h.json().get("status").asText());
    call(server, "POST", "/v1/compress", compressBody(0.5));
    Response m = call(server, "GET", "/metrics", null);
    assertEquals(200, m.status());
    assertTrue(m.raw().headers().firstValue("content-type").orElse("").startsWith("text/plain"));
    assertTrue(
        m.body()
            .contains(
                "winnow_http_requests_seconds_count{method=\"POST\",route=\"/v1/compress\",status=\"200\"}"),
        m.body());
    assertTrue(m.body().contains("jvm_memory_used_bytes"));
    assertTrue(m.body().contains("winnow_compress_origin_tokens_total"));
    Response api = call(server, "GET", "/openapi.yaml", null);
    assertEquals(200, api.status());
    assertTrue(api.body().startsWith("openapi: 3"));
    for (String path :
        List.of(
            "/v1/compress",
            "/v1/demonstrations/select",
            "/v1/prompts/build",
            "/v1/pools/{pool}/demonstrations")) {
      assertTrue(api.body().contains("\n  " + path + ":"), "documented: " + path);
    }
    assertEquals(404, call(server, "GET", "/v2/nothing", null).status());
  }

  @Test
  void compressIsLlmLinguaCompatibleAndDefaultsToWords() throws Exception {
    Response r = call(server, "POST", "/v1/compress", compressBody(0.5));
    assertEquals(200, r.status(), r.body());
    JsonNode j = r.json();
    assertEquals("words", j.get("mode").asText());
    assertTrue(j.get("compressed_tokens").asInt() < j.get("origin_tokens").asInt());
    assertTrue(j.get("compressed_prompt").asText().endsWith("What happened?"));
    for (String f : List.of("ratio", "rate", "saving")) {
      assertTrue(j.has(f), f);
    }
    Response bad = call(server, "POST", "/v1/compress", compressBody(1.5));
    assertEquals(400, bad.status());
    assertEquals("rate", bad.field());
    Response notJson = call(server, "POST", "/v1/compress", "{\"context\": [\"a\"]} trailing");
    assertEquals(400, notJson.status());
    assertEquals("request", notJson.field());
    Response unknown =
        call(server, "POST", "/v1/compress", "{\"context\": [\"a b c\"], \"ratee\": 0.5}");
    assertEquals(400, unknown.status());
    assertEquals("ratee", unknown.field());
    assertEquals(400, call(server, "POST", "/v1/compress", "").status());
  }

  @Test
  void selectFindsTheNearestAndNamesBadFields() throws Exception {
    Demonstration target = demos.get(9);
    ObjectNode q =
        JSON.createObjectNode().put("query", target.input()).put("pool", "news").put("k", 4);
    for (String method : List.of("knn", "bm25", "hybrid")) {
      q.put("method", method);
      Response r = call(server, "POST", "/v1/demonstrations/select", q.toString());
      assertEquals(200, r.status(), r.body());
      JsonNode ds = r.json().get("demonstrations");
      assertEquals(4, ds.size());
      assertEquals(target.id(), ds.get(3).get("id").asText(), method + ": most similar last");
      assertEquals(
          r.body(),
          call(server, "POST", "/v1/demonstrations/select", q.toString()).body(),
          "deterministic");
    }
    q.put("k", 0);
    assertEquals("k", call(server, "POST", "/v1/demonstrations/select", q.toString()).field());
    q.put("k", 3).put("lambda", 2.0);
    assertEquals("lambda", call(server, "POST", "/v1/demonstrations/select", q.toString()).field());
    q.remove("lambda");
    q.put("pool", "nope");
    Response missing = call(server, "POST", "/v1/demonstrations/select", q.toString());
    assertEquals(404, missing.status());
    assertEquals("pool", missing.field());
    q.remove("pool");
    assertEquals("pool", call(server, "POST", "/v1/demonstrations/select", q.toString()).field());
  }

  @Test
  void buildSelectsCompressesAndCounts() throws Exception {
    Demonstration target = demos.get(21);
    ObjectNode b =
        JSON.createObjectNode()
            .put("instruction", "Write the headline of the article.")
            .put("query", target.input())
            .put("pool", "news")
            .put("k", 3);
    b.putArray("context").add("Headlines are short.");
    b.putObject("compression").put("rate", 0.5);
    Response r = call(server, "POST", "/v1/prompts/build", b.toString());
    assertEquals(200, r.status(), r.body());
    JsonNode j = r.json();
    assertEquals(3, j.get("demonstrations").size());
    String prompt = j.get("prompt").asText();
    assertTrue(prompt.startsWith("Write the headline of the article."), prompt);
    assertTrue(
        prompt.endsWith("Input: " + target.input() + "\nOutput:"), "the query is never compressed");
    assertTrue(j.get("compressed_tokens").asInt() < j.get("origin_tokens").asInt(), j.toString());

    b.put("compress", false);
    JsonNode plain = call(server, "POST", "/v1/prompts/build", b.toString()).json();
    assertEquals(plain.get("origin_tokens").asInt(), plain.get("compressed_tokens").asInt());
    assertTrue(
        plain
            .get("prompt")
            .asText()
            .contains(j.get("demonstrations").get(0).get("output").asText()));

    b.put("compress", true);
    b.putObject("compression").put("rate", 7);
    assertEquals(
        "compression.rate", call(server, "POST", "/v1/prompts/build", b.toString()).field());
    b.putObject("compression").put("question", "x");
    assertEquals(
        "compression.question", call(server, "POST", "/v1/prompts/build", b.toString()).field());
    b.remove("compression");
    b.put("method", "dense");
    assertEquals("method", call(server, "POST", "/v1/prompts/build", b.toString()).field());
  }

  @Test
  void poolManagement() throws Exception {
    assertEquals(201, call(server, "PUT", "/v1/pools/scratch", null).status());
    assertEquals(200, call(server, "PUT", "/v1/pools/scratch", null).status(), "exists already");
    assertEquals("pool", call(server, "PUT", "/v1/pools/.hidden", null).field());
    String lines =
        "{\"id\": \"a\", \"input\": \"two plus two\", \"output\": \"four\"}\n\n"
            + "{\"input\": \"three plus three\", \"output\": \"six\", \"meta\": {\"topic\": \"math\"}}\n";
    Response up =
        call(
            server,
            "POST",
            "/v1/pools/scratch/demonstrations",
            lines,
            "Content-Type",
            "application/x-ndjson");
    assertEquals(200, up.status(), up.body());
    assertEquals(2, up.json().get("demonstrations").asInt());
    Response bad =
        call(
            server,
            "POST",
            "/v1/pools/scratch/demonstrations",
            "[{\"input\": \"x\", \"output\": \"y\"}, {\"output\": \"z\"}]");
    assertEquals(400, bad.status());
    assertEquals("[1].input", bad.field());
    assertEquals(
        "demonstrations[0].outptu",
        call(
                server,
                "POST",
                "/v1/pools/scratch/demonstrations",
                "{\"demonstrations\": [{\"input\": \"x\", \"outptu\": \"y\"}]}")
            .field());
    assertEquals(
        2,
        call(server, "GET", "/v1/pools/scratch", null).json().get("demonstrations").asInt(),
        "all or nothing");
    assertEquals(404, call(server, "POST", "/v1/pools/absent/demonstrations", "[]").status());

    Response got = call(server, "GET", "/v1/pools/scratch/demonstrations/a", null);
    assertEquals(200, got.status());
    assertEquals("four", got.json().get("output").asText());
    assertEquals("id", call(server, "GET", "/v1/pools/scratch/demonstrations/zzz", null).field());
    assertEquals(200, call(server, "DELETE", "/v1/pools/scratch/demonstrations/a", null).status());
    assertEquals(404, call(server, "DELETE", "/v1/pools/scratch/demonstrations/a", null).status());

    JsonNode list = call(server, "GET", "/v1/pools", null).json().get("pools");
    assertTrue(
        list.toString().contains("\"name\":\"scratch\"")
            && list.toString().contains("\"name\":\"news\""));
    assertEquals(200, call(server, "DELETE", "/v1/pools/scratch", null).status());
    assertEquals(404, call(server, "GET", "/v1/pools/scratch", null).status());
    assertEquals(404, call(server, "DELETE", "/v1/pools/scratch", null).status());
  }

  @Test
  void errorsAreJsonAndCountedWithTheirStatus() throws Exception {
    Response bad = call(server, "POST", "/v1/compress", compressBody(1.5));
    assertEquals(400, bad.status());
    assertEquals(400, bad.json().path("error").path("status").asInt(), bad.body());
    Response missing = call(server, "GET", "/v1/pools/none-such", null);
    assertEquals(404, missing.status());
    assertEquals("pool", missing.field());
    Response nowhere = call(server, "GET", "/v2/nothing", null);
    assertEquals(404, nowhere.status());
    assertTrue(
        nowhere
            .json()
            .path("error")
            .path("message")
            .asText()
            .startsWith("no endpoint GET /v2/nothing"),
        nowhere.body());
    String metrics = call(server, "GET", "/metrics", null).body();
    assertTrue(
        metrics.contains(
            "winnow_http_requests_seconds_count{method=\"POST\",route=\"/v1/compress\",status=\"400\"}"),
        metrics);
    assertTrue(
        metrics.contains(
            "winnow_http_requests_seconds_count{method=\"GET\",route=\"/v1/pools/{pool}\",status=\"404\"}"),
        metrics);
  }

  @Test
  void oversizedBodiesGet413() throws Exception {
    String big = "{\"context\": [\"" + "word ".repeat(60_000) + "\"]}";
    // its own client: the server closes a connection whose body it refused, and the shared client's
    // pool could otherwise hand that closed connection to the next test ("header parser received no
    // bytes")
    HttpResponse<String> raw =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(server.url() + "/v1/compress"))
                    .POST(HttpRequest.BodyPublishers.ofString(big))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    Response r = new Response(raw.statusCode(), raw.body(), raw);
    assertEquals(413, r.status());
    assertTrue(r.body().contains("262144"), r.body());
  }

  @Test
  void apiKeyIsRequiredWhenConfigured(@TempDir Path dir) throws Exception {
    try (PromptApiServer keyed =
        PromptApiServer.start(ServerConfig.defaults(dir).withApiKey("s3cret"), lm)) {
      assertEquals(401, call(keyed, "GET", "/v1/pools", null).status());
      assertEquals(
          401, call(keyed, "GET", "/v1/pools", null, "Authorization", "Bearer wrong").status());
      assertEquals(
          200, call(keyed, "GET", "/v1/pools", null, "Authorization", "Bearer s3cret").status());
      assertEquals(200, call(keyed, "GET", "/v1/pools", null, "X-API-Key", "s3cret").status());
      assertEquals(200, call(keyed, "GET", "/healthz", null).status(), "health checks need no key");
    }
  }

  @Test
  void aFullQueueAnswers429(@TempDir Path dir) throws Exception {
    try (PromptApiServer small =
        PromptApiServer.start(ServerConfig.defaults(dir).withLimits(1 << 20, 1, 0), lm)) {
      String body = longCompressBody();
      ExecutorService clients = Executors.newFixedThreadPool(6);
      List<Future<Response>> futures = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        futures.add(clients.submit(() -> call(small, "POST", "/v1/compress", body)));
      }
      int ok = 0;
      int busy = 0;
      for (Future<Response> f : futures) {
        Response r = f.get();
        ok += r.status() == 200 ? 1 : 0;
        if (r.status() == 429) {
          busy++;
          assertEquals("1", r.raw().headers().firstValue("Retry-After").orElse(null));
        }
      }
      clients.shutdown();
      assertTrue(ok >= 1 && busy >= 1 && ok + busy == 6, "ok " + ok + ", busy " + busy);
    }
  }

  private static String longCompressBody() {
    ObjectNode o = JSON.createObjectNode();
    ArrayNode ctx = o.putArray("context");
    demos.subList(0, 24).forEach(d -> ctx.add(d.input()));
    o.put("rate", 0.3);
    return o.toString();
  }

  @Test
  void restartKeepsPoolsAndShutdownFinishesRequestsInFlight(@TempDir Path dir) throws Exception {
    PromptApiServer first = PromptApiServer.start(ServerConfig.defaults(dir), lm);
    String url = first.url();
    call(first, "PUT", "/v1/pools/kept", null);
    call(
        first,
        "POST",
        "/v1/pools/kept/demonstrations",
        JSON.valueToTree(demos.subList(0, 20)).toString());
    String query =
        JSON.createObjectNode()
            .put("query", demos.get(5).input())
            .put("pool", "kept")
            .put("k", 5)
            .toString();
    String before =
        call(first, "POST", "/v1/demonstrations/select", query)
            .json()
            .get("demonstrations")
            .toString();

    // the compression request is held in flight at its first scoring call until released
    Thread closer = new Thread(first::close);
    try (HeldRequests inFlight =
        HeldRequests.send(first, first.scoreBatcher().batcher(), List.of(longCompressBody()))) {
      inFlight.awaitQueued(1, "the compression request is in flight, waiting to score");
      closer.start();
      HeldRequests.await(() -> first.draining(), "the shutdown has begun");
      Response during = call(first, "GET", "/healthz", null);
      assertEquals(503, during.status(), "new requests during shutdown are refused");
      assertTrue(
          closer.isAlive() && !inFlight.anyAnswered(),
          "the shutdown waits for the request in flight");
      assertEquals(200, inFlight.responses().get(0).status(), "the request in flight finished");
    }
    closer.join();
    assertThrows(
        ConnectException.class,
        () -> call(url, "GET", "/healthz", null),
        "stopped after the drain");

    try (PromptApiServer second = PromptApiServer.start(ServerConfig.defaults(dir), lm)) {
      assertEquals(
          20, call(second, "GET", "/v1/pools/kept", null).json().get("demonstrations").asInt());
      assertEquals(
          before,
          call(second, "POST", "/v1/demonstrations/select", query)
              .json()
              .get("demonstrations")
              .toString());
    }
  }
}
