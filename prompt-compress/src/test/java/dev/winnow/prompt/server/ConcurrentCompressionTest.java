package dev.winnow.prompt.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.winnow.kernels.scoring.BatchingScorer;
import dev.winnow.prompt.CompressionMode;
import dev.winnow.prompt.PromptCompressor;
import dev.winnow.prompt.ReferenceCases;
import dev.winnow.prompt.model.ProxyLm;
import dev.winnow.prompt.pool.Demonstration;
import dev.winnow.prompt.pool.NewsDemonstrations;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Concurrent {@code /v1/compress} requests over loopback share engine calls ({@link ScoreBatcher})
 * and get exactly the responses they get one at a time and from the unbatched compressor.
 */
class ConcurrentCompressionTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void concurrentRequestsShareScoringCallsAndAnswerAsAlone(@TempDir Path dir) throws Exception {
    ProxyLm lm = ReferenceCases.proxyMini();
    List<Demonstration> news = NewsDemonstrations.load(100, 16);
    List<String> bodies =
        List.of(
            body(news, 0, 3, "What happened?", 0.5, o -> {}),
            body(
                news,
                3,
                2,
                "Who is involved?",
                0.4,
                o ->
                    o.put("rank_method", "longllmlingua")
                        .put("condition_in_question", "after_condition")
                        .put("condition_compare", true)),
            body(news, 5, 3, "Where?", 0.6, o -> o.put("use_sentence_level_filter", true)),
            body(news, 8, 2, "When?", 0.5, o -> o.put("mode", "compat")),
            body(
                news,
                10,
                2,
                "Why?",
                0.5,
                o -> o.put("method", "selective_context").put("lexical_unit", "sentence")));
    int n = bodies.size();
    ServerConfig config =
        ServerConfig.defaults(dir).withLimits(1 << 20, n, 16).withScoreBatching(64, 0);
    try (PromptApiServer server = PromptApiServer.start(config, lm)) {
      // the unbatched path: the compressor on the engine itself
      PromptCompressor direct = new PromptCompressor(lm, CompressionMode.WORDS);
      List<JsonNode> expected = new ArrayList<>();
      for (String b : bodies) {
        expected.add(withoutLatency(JSON.valueToTree(direct.compress(PromptCompressor.parse(b)))));
      }
      List<JsonNode> oneAtATime = new ArrayList<>();
      for (String b : bodies) {
        PromptApiServerTest.Response r =
            PromptApiServerTest.call(server, "POST", "/v1/compress", b);
        assertEquals(200, r.status(), r.body());
        oneAtATime.add(withoutLatency(r.json()));
      }
      assertEquals(
          expected,
          oneAtATime,
          "one request at a time through the batcher = the unbatched compressor");

      long[] before = scoreCounters(server);
      // every request's first scoring call is queued before any is sent: they must meet in one
      // engine call
      List<JsonNode> concurrent =
          sendWhileHeld(
              server,
              server.scoreBatcher().batcher(),
              bodies,
              "all requests in flight and waiting to score");
      for (int i = 0; i < n; i++) {
        assertEquals(oneAtATime.get(i), concurrent.get(i), "request " + i + " concurrent = alone");
      }

      long[] after = scoreCounters(server);
      long batches = after[0] - before[0];
      long sequences = after[1] - before[1];
      long submissions = after[2] - before[2];
      assertTrue(submissions >= n, "each request scored at least once: " + submissions);
      assertTrue(
          batches < submissions,
          "requests shared engine calls: "
              + batches
              + " calls for "
              + submissions
              + " scoring calls of requests");
      assertTrue(batches < sequences, batches + " calls for " + sequences + " sequences");
    }
  }

  @Test
  void concurrentTokenLevelStepsShareForwardPassesAndAnswerAsAlone(@TempDir Path dir)
      throws Exception {
    ProxyLm lm = ReferenceCases.proxyMini();
    List<Demonstration> news = NewsDemonstrations.load(100, 16);
    // no question, one context: nothing to rank, only the KV-cached token-level step (words and
    // compat modes)
    List<String> bodies =
        List.of(
            body(news, 12, 1, null, 0.5, o -> {}),
            body(news, 13, 1, null, 0.4, o -> {}),
            body(news, 14, 1, null, 0.6, o -> o.put("mode", "compat")),
            body(news, 15, 1, null, 0.5, o -> o.put("mode", "compat").put("iterative_size", 100)));
    int n = bodies.size();
    ServerConfig config =
        ServerConfig.defaults(dir).withLimits(1 << 20, n, 16).withScoreBatching(64, 0);
    try (PromptApiServer server = PromptApiServer.start(config, lm)) {
      PromptCompressor direct = new PromptCompressor(lm, CompressionMode.WORDS);
      List<JsonNode> alone = new ArrayList<>();
      for (String b : bodies) {
        alone.add(withoutLatency(JSON.valueToTree(direct.compress(PromptCompressor.parse(b)))));
      }
      long[] before = sessionCounters(server);
      List<JsonNode> concurrent =
          sendWhileHeld(
              server,
              server.scoreBatcher().appendBatcher(),
              bodies,
              "every request waits with its first window");
      for (int i = 0; i < n; i++) {
        assertEquals(
            alone.get(i), concurrent.get(i), "request " + i + ": shared forward passes = alone");
      }
      long[] after = sessionCounters(server);
      long passes = after[0] - before[0];
      long windows = after[1] - before[1];
      assertTrue(windows >= n, "each request appended at least one window: " + windows);
      assertTrue(
          passes < windows,
          "requests shared forward passes: " + passes + " for " + windows + " windows");
    }
  }

  /**
   * Sends every body at once while {@code batcher} is held, waits until each request has a call
   * queued on it (so they meet deterministically, not by timing), releases it and returns the
   * responses (200, without latency).
   */
  private static List<JsonNode> sendWhileHeld(
      PromptApiServer server, BatchingScorer<?, ?> batcher, List<String> bodies, String waiting)
      throws Exception {
    int n = bodies.size();
    List<JsonNode> out = new ArrayList<>();
    try (HeldRequests held = HeldRequests.send(server, batcher, bodies)) {
      assertEquals(n, held.awaitQueued(n, waiting), waiting);
      for (PromptApiServerTest.Response r : held.responses()) {
        assertEquals(200, r.status(), r.body());
        out.add(withoutLatency(r.json()));
      }
    }
    return out;
  }

  /** {session batches, session appends} as /metrics shows them. */
  private static long[] sessionCounters(PromptApiServer server) throws Exception {
    String metrics = PromptApiServerTest.call(server, "GET", "/metrics", null).body();
    return new long[] {
      counter(metrics, "winnow_session_batches_total"),
      counter(metrics, "winnow_session_appends_total")
    };
  }

  private interface Edit {
    void apply(ObjectNode o);
  }

  private static String body(
      List<Demonstration> news, int from, int count, String question, double rate, Edit edit) {
    ObjectNode o = JSON.createObjectNode();
    var context = o.putArray("context");
    for (int i = from; i < from + count; i++) {
      context.add(news.get(i).input());
    }
    if (question != null) {
      o.put("question", question);
    }
    o.put("rate", rate);
    edit.apply(o);
    return o.toString();
  }

  private static JsonNode withoutLatency(JsonNode result) {
    ObjectNode copy = result.deepCopy();
    copy.remove("latency_ms");
    return copy;
  }

  /** {batches, sequences, submissions} as /metrics shows them. */
  private static long[] scoreCounters(PromptApiServer server) throws Exception {
    String metrics = PromptApiServerTest.call(server, "GET", "/metrics", null).body();
    return new long[] {
      counter(metrics, "winnow_score_batches_total"),
      counter(metrics, "winnow_score_sequences_total"),
      counter(metrics, "winnow_score_submissions_total")
    };
  }

  private static long counter(String metrics, String name) {
    Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*})? ([0-9.eE+]+)$").matcher(metrics);
    assertTrue(m.find(), name + " on /metrics:\n" + metrics);
    return (long) Double.parseDouble(m.group(1));
  }
}
