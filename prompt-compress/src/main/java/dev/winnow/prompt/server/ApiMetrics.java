package dev.winnow.prompt.server;

import dev.winnow.prompt.CompressionResult;
import dev.winnow.prompt.pool.PoolRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The server's Prometheus metrics ({@code GET /metrics}): requests by route, method and status; the
 * work queue (waiting, running, queue wait and service time apart, refusals by reason); requests in
 * flight; pools; the shared embedding and scoring calls (calls, sequences, submissions: their
 * ratios are the mean batch sizes); tokens before and after compression; JVM memory and threads.
 */
final class ApiMetrics implements AutoCloseable {
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter originTokens;
  private final Counter compressedTokens;

  /**
   * @param scoreBatcher null when scoring calls are not shared
   */
  ApiMetrics(
      WorkQueue queue,
      InFlightRequests inFlight,
      PoolRegistry pools,
      EmbeddingBatcher batcher,
      ScoreBatcher scoreBatcher) {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    Gauge.builder("winnow.queue.waiting", queue, WorkQueue::waiting)
        .description("model jobs waiting")
        .register(registry);
    Gauge.builder("winnow.queue.running", queue, WorkQueue::running)
        .description("model jobs running")
        .register(registry);
    FunctionTimer.builder(
            "winnow.queue.wait", queue, WorkQueue::waits, WorkQueue::waitSeconds, TimeUnit.SECONDS)
        .description("time model jobs waited for a worker")
        .register(registry);
    FunctionTimer.builder(
            "winnow.queue.service",
            queue,
            WorkQueue::services,
            WorkQueue::serviceSeconds,
            TimeUnit.SECONDS)
        .description("time model jobs ran on a worker")
        .register(registry);
    for (String reason : List.of("full", "deadline")) {
      FunctionCounter.builder("winnow.queue.refused", queue, q -> q.refused(reason))
          .tag("reason", reason)
          .description(
              "model jobs refused with 429 on arrival: full (no room in the queue), deadline "
                  + "(predicted to miss it)")
          .register(registry);
    }
    FunctionCounter.builder("winnow.queue.overrun", queue, WorkQueue::overruns)
        .description("model jobs admitted with a deadline that ended after it (never refused)")
        .register(registry);
    Gauge.builder("winnow.queue.safety", queue, WorkQueue::safetyFactor)
        .description("the factor predicted finish times are multiplied by at admission")
        .register(registry);
    Gauge.builder("winnow.requests.inflight", inFlight, InFlightRequests::count).register(registry);
    Gauge.builder("winnow.pools", pools, p -> p.names().size())
        .description("demonstration pools open")
        .register(registry);
    FunctionCounter.builder("winnow.embed.batches", batcher, EmbeddingBatcher::calls)
        .description("model calls that embedded queries")
        .register(registry);
    FunctionCounter.builder("winnow.embed.sequences", batcher, EmbeddingBatcher::sequences)
        .description("queries embedded (sequences / batches = mean batch size)")
        .register(registry);
    if (scoreBatcher != null) {
      FunctionCounter.builder("winnow.score.batches", scoreBatcher, ScoreBatcher::calls)
          .description("engine calls that scored whole sequences for compression")
          .register(registry);
      FunctionCounter.builder("winnow.score.sequences", scoreBatcher, ScoreBatcher::sequences)
          .description("sequences scored (sequences / batches = mean batch size)")
          .register(registry);
      FunctionCounter.builder("winnow.score.submissions", scoreBatcher, ScoreBatcher::submissions)
          .description(
              "scoring calls of requests (submissions / batches > 1: requests shared engine calls)")
          .register(registry);
      FunctionCounter.builder("winnow.session.batches", scoreBatcher, ScoreBatcher::appendCalls)
          .description("forward passes that ran KV-cached windows of compression requests")
          .register(registry);
      FunctionCounter.builder("winnow.session.appends", scoreBatcher, ScoreBatcher::appends)
          .description("windows appended (appends / batches > 1: requests shared forward passes)")
          .register(registry);
    }
    originTokens =
        Counter.builder("winnow.compress.origin.tokens")
            .description("cl100k tokens before compression")
            .register(registry);
    compressedTokens =
        Counter.builder("winnow.compress.compressed.tokens")
            .description("cl100k tokens after compression")
            .register(registry);
  }

  /** Counts the tokens of a compression. */
  void compressed(CompressionResult r) {
    originTokens.increment(r.originTokens());
    compressedTokens.increment(r.compressedTokens());
  }

  /** Records one answered request. */
  void request(String route, String method, int status, long nanos) {
    Timer.builder("winnow.http.requests")
        .tag("route", route)
        .tag("method", method)
        .tag("status", Integer.toString(status))
        .register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /** The Prometheus text exposition. */
  byte[] scrape() {
    return registry.scrape().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    registry.close();
  }
}
