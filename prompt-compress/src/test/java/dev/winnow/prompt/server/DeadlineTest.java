package dev.winnow.prompt.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.winnow.prompt.ReferenceCases;
import dev.winnow.prompt.model.ProxyLm;
import dev.winnow.prompt.pool.NewsDemonstrations;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Request deadlines over HTTP: {@code X-Deadline-Ms} is checked, work that cannot be answered in
 * time gets 429 with {@code Retry-After} while a request holds the only worker, and {@code
 * /metrics} shows queue wait, service time and refusals apart.
 */
class DeadlineTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void overloadedRequestsAreRefusedOnArrival(@TempDir Path dir) throws Exception {
    ProxyLm lm = ReferenceCases.proxyMini();
    String body =
        JSON.createObjectNode()
            .put("rate", 0.5)
            .set("context", JSON.valueToTree(List.of(NewsDemonstrations.load(0, 1).get(0).input())))
            .toString();
    try (PromptApiServer server =
        PromptApiServer.start(ServerConfig.defaults(dir).withLimits(1 << 20, 1, 8), lm)) {
      for (String bad : List.of("soon", "0", "-3", "600001")) {
        PromptApiServerTest.Response r =
            PromptApiServerTest.call(server, "POST", "/v1/compress", body, "X-Deadline-Ms", bad);
        assertEquals(400, r.status(), r.body());
        assertEquals("X-Deadline-Ms", r.field());
      }
      // one compression teaches the queue how long one takes (one context, no question: its model
      // work is
      // the KV-cached token-level step, held below at its first window)
      assertEquals(200, PromptApiServerTest.call(server, "POST", "/v1/compress", body).status());

      try (HeldRequests first =
          HeldRequests.send(server, server.scoreBatcher().appendBatcher(), List.of(body))) {
        first.awaitQueued(1, "the first request holds the only worker");
        PromptApiServerTest.Response refused =
            PromptApiServerTest.call(server, "POST", "/v1/compress", body, "X-Deadline-Ms", "1");
        assertEquals(429, refused.status(), refused.body());
        assertTrue(
            Long.parseLong(refused.raw().headers().firstValue("Retry-After").orElse("0")) >= 1);
        assertTrue(
            refused.json().path("error").path("message").asText().contains("deadline"),
            refused.body());
        assertEquals(200, first.responses().get(0).status(), "the request in flight is answered");
      }
      String metrics = PromptApiServerTest.call(server, "GET", "/metrics", null).body();
      assertTrue(metrics.contains("winnow_queue_refused_total{reason=\"deadline\"} 1.0"), metrics);
      assertTrue(metrics.contains("winnow_queue_overrun_total 0.0"), metrics);
      assertTrue(metrics.contains("winnow_queue_safety "), metrics);
      assertTrue(
          metrics.contains("winnow_queue_wait_seconds_count 2\n"),
          "the refused one never queued:\n" + metrics);
      assertTrue(metrics.contains("winnow_queue_service_seconds_count 2\n"), metrics);
      assertTrue(
          metrics.contains(
              "winnow_http_requests_seconds_count{method=\"POST\",route=\"/v1/compress\",status=\"429\"} 1"),
          metrics);
    }
  }
}
