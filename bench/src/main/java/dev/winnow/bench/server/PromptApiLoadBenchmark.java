package dev.winnow.bench.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.winnow.bench.BenchEnv;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

/**
 * A bounded load test of {@code winnow serve}: the server runs in a second JVM (started here with
 * this JVM's class path), this process is the client. For {@code /v1/compress} and {@code
 * /v1/prompts/build} at 1, 8 and 64 concurrent clients it sends a fixed number of requests and
 * reports throughput, p50/p99 latency, the status codes (429 when the bounded queue is full) and
 * the server's resident memory before and after. With {@code -Dbench.deadlineMs=N} every request
 * carries {@code X-Deadline-Ms: N}, and each row also says how many answered requests took longer
 * than that and the p99 time to a refusal (the issue's bound: every answer within its deadline,
 * every refusal within 50 ms). Writes {@code bench/results/prompt-api-load.md} (or {@code
 * -Dbench.output=NAME.md}).
 */
public final class PromptApiLoadBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** {@code X-Deadline-Ms} on every request; 0: none (the server's default deadline). */
  private static final long DEADLINE_MS = Long.getLong("bench.deadlineMs", 0);

  /**
   * With a deadline, each row runs this long ({@code -Dbench.seconds}), clients honouring {@code
   * Retry-After}; without, each row sends a fixed number of requests.
   */
  private static final double SECONDS =
      Double.parseDouble(System.getProperty("bench.seconds", "20"));

  private PromptApiLoadBenchmark() {}

  public static void main(String[] args) throws Exception {
    List<JsonNode> news = new ArrayList<>();
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(
                    Files.newInputStream(BenchEnv.shared().resolve("corpora/news.jsonl.gz"))),
                StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null && news.size() < 600) {
        news.add(JSON.readTree(line));
      }
    }
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path pools = Files.createTempDirectory("winnow-load-pools");
    // -Dbench.serveArgs="--workers 2 --max-score-batch 0": extra `winnow serve` options (e.g. the
    // unbatched server)
    String serveArgs = System.getProperty("bench.serveArgs", "").strip();
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.winnow.jobs.cli.WinnowCli",
                "serve",
                "--port",
                String.valueOf(port),
                "--pools",
                pools.toString()));
    if (!serveArgs.isEmpty()) {
      cmd.addAll(List.of(serveArgs.split("\\s+")));
    }
    // -Dbench.clients=1,8 and -Dbench.endpoints=compress4: a shorter run
    int[] clientCounts =
        java.util.Arrays.stream(System.getProperty("bench.clients", "1,8,64").split(","))
            .mapToInt(c -> Integer.parseInt(c.strip()))
            .toArray();
    List<String> endpoints =
        List.of(System.getProperty("bench.endpoints", "compress,compress4,build").split(","));
    Process server =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(pools.resolveSibling(pools.getFileName() + ".log").toFile())
            .start();
    String base = "http://127.0.0.1:" + port;
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    StringBuilder md = new StringBuilder();
    try {
      waitHealthy(http, base);
      long rssStart = rss(server.pid());
      send(http, "PUT", base + "/v1/pools/news", "");
      ArrayNode demos = JSON.createArrayNode();
      for (int i = 100; i < news.size(); i++) {
        String text = news.get(i).get("text").asText();
        int nl = text.indexOf('\n');
        if (nl <= 0) {
          continue;
        }
        ObjectNode d = demos.addObject();
        d.put("input", text.substring(nl + 1, Math.min(text.length(), nl + 600)));
        d.put("output", text.substring(0, nl));
      }
      HttpResponse<String> up =
          send(http, "POST", base + "/v1/pools/news/demonstrations", demos.toString());
      if (up.statusCode() != 200) {
        throw new IllegalStateException("upload failed: " + up.statusCode() + " " + up.body());
      }
      long rssLoaded = rss(server.pid());
      md.append(
              "# Prompt API load test\n\n`PromptApiLoadBenchmark`: `winnow serve` in a second JVM (-Xmx2g, ")
          .append(serveArgs.isEmpty() ? "default options" : "options `" + serveArgs + "`")
          .append(", queue 64, proxy-mini, words mode), this JVM as the client over loopback. ")
          .append("Pool: ")
          .append(demos.size())
          .append(" news demonstrations (body → headline). ")
          .append(
              "`/v1/compress`: one news article (≈300–600 tokens), rate 0.5. `/v1/compress` ×4: four ")
          .append(
              "article openings (600 characters each) and a question, rate 0.5 (ranked by perplexity: a ")
          .append("whole-sequence scoring call). `/v1/prompts/build`: the ")
          .append("article's first line as query, k = 4 by KATE knn, compressed at rate 0.5.\n\n")
          .append("Machine: ")
          .append(BenchEnv.machine())
          .append("\n\n")
          .append(
              DEADLINE_MS > 0
                  ? "Every request carries `X-Deadline-Ms: " + DEADLINE_MS + "`. "
                  : "No request carries a deadline (the server's default applies). ")
          .append(
              "Latencies are per request at the client; p50/p99 over the answered (200) ones;"
                  + " \"over deadline\" counts answers slower than the deadline; \"429 p99\" is the"
                  + " time to a refusal. Queue wait and service are the server's own"
                  + " (`/metrics`, means over the row); \"server overruns\" counts admitted jobs"
                  + " that ended after their deadline less the allowance, \"server 429 mean / max\""
                  + " the server's own time from arrival to refusal (the max is Micrometer's, over"
                  + " its last step).\n\n")
          .append(
              "| endpoint | clients | requests | 200 | 429 | other | throughput req/s | p50 ms | p99 ms"
                  + " | over deadline | 429 p99 ms | queue wait mean ms | service mean ms"
                  + " | server overruns | server 429 mean / max ms | load avg (1 min) |\n")
          .append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
      for (String endpoint : endpoints) {
        for (int clients : clientCounts) {
          int requests = clients == 1 ? 12 : clients == 8 ? 32 : 128;
          md.append(run(http, base, endpoint, clients, requests, news));
        }
      }
      long rssEnd = rss(server.pid());
      md.append(
          String.format(
              Locale.ROOT,
              "%nServer resident memory: %.0f MiB at start, %.0f MiB after the pool "
                  + "upload, %.0f MiB after the load.%n",
              rssStart / 1048576.0,
              rssLoaded / 1048576.0,
              rssEnd / 1048576.0));
    } finally {
      server.destroy();
      server.waitFor();
    }
    Files.writeString(
        BenchEnv.result(System.getProperty("bench.output", "prompt-api-load.md")), md.toString());
    System.out.print(md);
  }

  private static String run(
      HttpClient http, String base, String endpoint, int clients, int requests, List<JsonNode> news)
      throws Exception {
    if (DEADLINE_MS > 0) {
      // the server learns each kind's service time from answered work: a few requests one at a
      // time first, not counted, as a deployment's warm-up would
      for (int w = 0; w < 3; w++) {
        send(http, "POST", base + path(endpoint), body(endpoint, 50 + w, news).toString());
      }
    }
    double[] metricsBefore = queueMetrics(http, base);
    String loadBefore = loadAverage();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    long runUntil = System.nanoTime() + (long) (SECONDS * 1e9);
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    List<Long> refusals = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger busy = new AtomicInteger();
    AtomicInteger other = new AtomicInteger();
    AtomicInteger next = new AtomicInteger();
    long t0 = System.nanoTime();
    List<Future<?>> futures = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      futures.add(
          pool.submit(
              () -> {
                int i;
                while (DEADLINE_MS > 0
                    ? System.nanoTime() < runUntil && (i = next.getAndIncrement()) >= 0
                    : (i = next.getAndIncrement()) < requests) {
                  ObjectNode body = body(endpoint, i, news);
                  long s = System.nanoTime();
                  HttpResponse<String> r =
                      send(http, "POST", base + path(endpoint), body.toString());
                  long ms = (System.nanoTime() - s) / 1_000_000;
                  if (r.statusCode() == 200) {
                    ok.incrementAndGet();
                    latencies.add(ms);
                  } else if (r.statusCode() == 429) {
                    busy.incrementAndGet();
                    refusals.add(ms);
                    if (DEADLINE_MS > 0) {
                      // a well-behaved client waits as long as Retry-After says
                      long wait = r.headers().firstValueAsLong("Retry-After").orElse(1);
                      Thread.sleep(
                          Math.min(
                              wait * 1000,
                              Math.max(0, (runUntil - System.nanoTime()) / 1_000_000)));
                    }
                  } else {
                    other.incrementAndGet();
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : futures) {
      f.get();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    pool.shutdown();
    List<Long> sorted = new ArrayList<>(latencies);
    Collections.sort(sorted);
    List<Long> refused = new ArrayList<>(refusals);
    Collections.sort(refused);
    long over = DEADLINE_MS > 0 ? sorted.stream().filter(ms -> ms > DEADLINE_MS).count() : 0;
    double[] metricsAfter = queueMetrics(http, base);
    String row =
        String.format(
            Locale.ROOT,
            "| `%s`%s | %d | %d | %d | %d | %d | %.2f | %s | %s | %s | %s | %s | %s | %.0f | %s | %s → %s |%n",
            path(endpoint),
            endpoint.equals("compress4") ? " ×4" : "",
            clients,
            ok.get() + busy.get() + other.get(),
            ok.get(),
            busy.get(),
            other.get(),
            ok.get() / seconds,
            pct(sorted, 0.50),
            pct(sorted, 0.99),
            DEADLINE_MS > 0 ? String.valueOf(over) : "–",
            pct(refused, 0.99),
            meanMs(metricsBefore, metricsAfter, 0),
            meanMs(metricsBefore, metricsAfter, 2),
            metricsAfter[4] - metricsBefore[4],
            meanMs(metricsBefore, metricsAfter, 5)
                + " / "
                + String.format(Locale.ROOT, "%.0f", 1000 * metricsAfter[7]),
            loadBefore,
            loadAverage());
    System.err.print(row);
    return row;
  }

  /** The body of request {@code i} to {@code endpoint}. */
  private static ObjectNode body(String endpoint, int i, List<JsonNode> news) {
    String text = news.get(i % 100).get("text").asText();
    ObjectNode body = JSON.createObjectNode();
    if (endpoint.equals("compress")) {
      body.putArray("context").add(text);
      body.put("rate", 0.5);
    } else if (endpoint.equals("compress4")) {
      ArrayNode context = body.putArray("context");
      for (int j = 0; j < 4; j++) {
        String t = news.get((i + 25 * j) % 100).get("text").asText();
        context.add(t.substring(0, Math.min(t.length(), 600)));
      }
      body.put("question", text.substring(0, Math.max(1, text.indexOf('\n'))));
      body.put("rate", 0.5);
    } else {
      body.put("instruction", "Write a headline for the article.");
      body.put("query", text.substring(0, Math.max(1, text.indexOf('\n'))));
      body.put("pool", "news");
      body.put("k", 4);
      body.putObject("compression").put("rate", 0.5);
    }
    return body;
  }

  /**
   * From {@code /metrics}: the sums and counts of {@code winnow_queue_wait_seconds} and {@code
   * winnow_queue_service_seconds} over all routes ({@code [waitSum, waitCount, serviceSum,
   * serviceCount, overruns, 429 seconds sum, 429 count, 429 max seconds, 200 max seconds]}; the
   * maxima are Micrometer's, over its last step, not only this row).
   */
  private static double[] queueMetrics(HttpClient http, String base) {
    double[] m = new double[9];
    HttpResponse<String> r = send(http, "GET", base + "/metrics", "");
    for (String line : r.body().split("\n")) {
      if (line.startsWith("#")) {
        continue;
      }
      String name = line.contains("{") ? line.substring(0, line.indexOf('{')) : line.split(" ")[0];
      double value;
      try {
        value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      } catch (NumberFormatException e) {
        continue;
      }
      switch (name) {
        case "winnow_queue_wait_seconds_sum" -> m[0] += value;
        case "winnow_queue_wait_seconds_count" -> m[1] += value;
        case "winnow_queue_service_seconds_sum" -> m[2] += value;
        case "winnow_queue_service_seconds_count" -> m[3] += value;
        case "winnow_queue_overrun_total" -> m[4] += value;
        case "winnow_http_requests_seconds_sum" -> {
          if (line.contains("status=\"429\"")) {
            m[5] += value;
          }
        }
        case "winnow_http_requests_seconds_count" -> {
          if (line.contains("status=\"429\"")) {
            m[6] += value;
          }
        }
        case "winnow_http_requests_seconds_max" -> {
          if (line.contains("status=\"429\"")) {
            m[7] = Math.max(m[7], value);
          } else if (line.contains("status=\"200\"") && !line.contains("/metrics")) {
            m[8] = Math.max(m[8], value);
          }
        }
        default -> {}
      }
    }
    return m;
  }

  private static String meanMs(double[] before, double[] after, int i) {
    double count = after[i + 1] - before[i + 1];
    return count <= 0
        ? "–"
        : String.format(Locale.ROOT, "%.0f", 1000 * (after[i] - before[i]) / count);
  }

  private static String path(String endpoint) {
    return switch (endpoint) {
      case "compress", "compress4" -> "/v1/compress";
      case "build" -> "/v1/prompts/build";
      default ->
          throw new IllegalArgumentException(
              "unknown endpoint " + endpoint + ": compress, compress4 or build");
    };
  }

  private static String pct(List<Long> sorted, double q) {
    if (sorted.isEmpty()) {
      return "–";
    }
    int i = (int) Math.ceil(q * sorted.size()) - 1;
    return String.valueOf(sorted.get(Math.max(0, Math.min(sorted.size() - 1, i))));
  }

  private static HttpResponse<String> send(
      HttpClient http, String method, String url, String body) {
    try {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create(url))
              .timeout(Duration.ofMinutes(5))
              .header("Content-Type", "application/json");
      if (DEADLINE_MS > 0 && method.equals("POST")) {
        b.header("X-Deadline-Ms", String.valueOf(DEADLINE_MS));
      }
      HttpRequest r =
          method.equals("GET")
              ? b.GET().build()
              : body.isEmpty() && method.equals("PUT")
                  ? b.PUT(HttpRequest.BodyPublishers.noBody()).build()
                  : b.method(method, HttpRequest.BodyPublishers.ofString(body)).build();
      return http.send(r, HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(method + " " + url + ": " + e, e);
    }
  }

  private static void waitHealthy(HttpClient http, String base) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (http.send(
                    HttpRequest.newBuilder(URI.create(base + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode()
            == 200) {
          return;
        }
      } catch (Exception notYet) {
        // server still starting
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("the server did not become healthy within 2 minutes");
  }

  /** The 1-minute load average (Linux), "?" elsewhere. */
  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (Exception e) {
      return "?";
    }
  }

  /** Resident set size of a process (Linux), 0 elsewhere. */
  private static long rss(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (Exception e) {
      return 0;
    }
    return 0;
  }
}
