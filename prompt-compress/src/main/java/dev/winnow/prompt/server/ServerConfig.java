package dev.winnow.prompt.server;

import dev.winnow.prompt.CompressionMode;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How the prompt API server runs.
 *
 * @param host address to listen on; {@code 127.0.0.1} unless told otherwise
 * @param port TCP port; 0 picks a free one
 * @param pools root directory of the demonstration pools ({@code ROOT/NAME})
 * @param maxBodyBytes larger request bodies are answered 413
 * @param workers model jobs (compression, embedding, uploads) run at once
 * @param queueCapacity model jobs waiting beyond {@code workers}; more are answered 429
 * @param apiKey when not null, every endpoint but {@code /healthz} needs {@code Authorization:
 *     Bearer KEY} or {@code X-API-Key: KEY}
 * @param defaultMode compression mode of a request that names none
 * @param shutdownTimeout how long a shutdown waits for requests in flight
 * @param maxEmbedBatch most query embeddings of concurrent requests put in one model call
 * @param maxScoreBatch whole-sequence scorings (context ranking, sentence filter, self-information)
 *     of concurrent requests put in one engine call: a call closes once it holds at least this many
 *     sequences (a request's sequences are never split); 0: no shared calls, each request calls the
 *     engine itself
 * @param scoreWaitMillis how long a scoring call waits for other requests' sequences after its
 *     first one arrived; 0 (the default): it takes whatever is waiting and goes at once, so batches
 *     form only while the engine is busy and a lone request waits for nothing
 * @param requestDeadline how long a request may take unless it says otherwise ({@code
 *     X-Deadline-Ms}): model work that cannot be answered within it is refused with 429 and {@code
 *     Retry-After} instead of waiting (see {@link WorkQueue}); at most {@link #MAX_DEADLINE}
 * @param deadlineSafety the least factor the queue multiplies predicted finish times by before
 *     comparing them with deadlines ({@link #DEFAULT_DEADLINE_SAFETY} by default; at least 1):
 *     larger refuses more and leaves more room for a slowdown after admission
 */
public record ServerConfig(
    String host,
    int port,
    Path pools,
    long maxBodyBytes,
    int workers,
    int queueCapacity,
    String apiKey,
    CompressionMode defaultMode,
    Duration shutdownTimeout,
    int maxEmbedBatch,
    int maxScoreBatch,
    long scoreWaitMillis,
    Duration requestDeadline,
    double deadlineSafety) {
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final long DEFAULT_MAX_BODY_BYTES = 4L << 20;
  public static final int DEFAULT_MAX_EMBED_BATCH = 32;
  public static final int DEFAULT_MAX_SCORE_BATCH = 64;
  public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(30);

  /**
   * The least safety factor on predicted finish times: 2, from the load benchmark on a busy 2-core
   * machine (1.5 let 6 of about 660 answers end past a 2 s deadline in two runs, 2 one of 479 and
   * then none of 809, with no fewer answers; {@code bench/results/prompt-api-deadline.md}).
   */
  public static final double DEFAULT_DEADLINE_SAFETY = 2.0;

  /** The longest deadline a request may ask for (and the server may default to). */
  public static final Duration MAX_DEADLINE = Duration.ofMinutes(10);

  public ServerConfig {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException(
          "illegal host \"" + host + "\": give an address such as 127.0.0.1");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(
          "illegal port " + port + ": must be in [0, 65535] (0: any free port)");
    }
    if (maxBodyBytes < 1024) {
      throw new IllegalArgumentException(
          "illegal maxBodyBytes " + maxBodyBytes + ": must be at least 1024");
    }
    if (workers < 1 || queueCapacity < 0 || maxEmbedBatch < 1) {
      throw new IllegalArgumentException(
          "illegal workers "
              + workers
              + " / queueCapacity "
              + queueCapacity
              + " / maxEmbedBatch "
              + maxEmbedBatch
              + ": need workers ≥ 1, queueCapacity ≥ 0, maxEmbedBatch ≥ 1");
    }
    if (maxScoreBatch < 0 || scoreWaitMillis < 0) {
      throw new IllegalArgumentException(
          "illegal maxScoreBatch "
              + maxScoreBatch
              + " / scoreWaitMillis "
              + scoreWaitMillis
              + ": need maxScoreBatch ≥ 0 (0: no shared scoring calls) and scoreWaitMillis ≥ 0");
    }
    if (requestDeadline == null
        || requestDeadline.isNegative()
        || requestDeadline.isZero()
        || requestDeadline.compareTo(MAX_DEADLINE) > 0) {
      throw new IllegalArgumentException(
          "illegal requestDeadline "
              + requestDeadline
              + ": must be in (0, "
              + MAX_DEADLINE.toMinutes()
              + " min]; requests may ask for less with the X-Deadline-Ms header");
    }
    if (!(deadlineSafety >= 1 && deadlineSafety <= WorkQueue.MAX_SAFETY)) {
      throw new IllegalArgumentException(
          "illegal deadlineSafety "
              + deadlineSafety
              + ": must be in [1, "
              + WorkQueue.MAX_SAFETY
              + "]");
    }
    if (apiKey != null && apiKey.isBlank()) {
      throw new IllegalArgumentException("the API key is blank: give a non-blank key or none");
    }
  }

  /** With the default {@link #deadlineSafety}. */
  public ServerConfig(
      String host,
      int port,
      Path pools,
      long maxBodyBytes,
      int workers,
      int queueCapacity,
      String apiKey,
      CompressionMode defaultMode,
      Duration shutdownTimeout,
      int maxEmbedBatch,
      int maxScoreBatch,
      long scoreWaitMillis,
      Duration requestDeadline) {
    this(
        host,
        port,
        pools,
        maxBodyBytes,
        workers,
        queueCapacity,
        apiKey,
        defaultMode,
        shutdownTimeout,
        maxEmbedBatch,
        maxScoreBatch,
        scoreWaitMillis,
        requestDeadline,
        DEFAULT_DEADLINE_SAFETY);
  }

  /**
   * Default number of workers: twice the cores, at least 4. A compression request spends part of
   * its time waiting for a shared scoring call rather than computing, so more requests than cores
   * must be in flight for their calls to meet; the engine's own thread pool bounds the CPU used.
   */
  public static int defaultWorkers() {
    return Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
  }

  /** Loopback, a free port, the given pool root, defaults for the rest. */
  public static ServerConfig defaults(Path pools) {
    return new ServerConfig(
        DEFAULT_HOST,
        0,
        pools,
        DEFAULT_MAX_BODY_BYTES,
        defaultWorkers(),
        64,
        null,
        CompressionMode.WORDS,
        Duration.ofSeconds(30),
        DEFAULT_MAX_EMBED_BATCH,
        DEFAULT_MAX_SCORE_BATCH,
        0,
        DEFAULT_DEADLINE,
        DEFAULT_DEADLINE_SAFETY);
  }

  public ServerConfig withPort(int p) {
    return new ServerConfig(
        host,
        p,
        pools,
        maxBodyBytes,
        workers,
        queueCapacity,
        apiKey,
        defaultMode,
        shutdownTimeout,
        maxEmbedBatch,
        maxScoreBatch,
        scoreWaitMillis,
        requestDeadline,
        deadlineSafety);
  }

  public ServerConfig withLimits(long body, int w, int queue) {
    return new ServerConfig(
        host,
        port,
        pools,
        body,
        w,
        queue,
        apiKey,
        defaultMode,
        shutdownTimeout,
        maxEmbedBatch,
        maxScoreBatch,
        scoreWaitMillis,
        requestDeadline,
        deadlineSafety);
  }

  public ServerConfig withApiKey(String key) {
    return new ServerConfig(
        host,
        port,
        pools,
        maxBodyBytes,
        workers,
        queueCapacity,
        key,
        defaultMode,
        shutdownTimeout,
        maxEmbedBatch,
        maxScoreBatch,
        scoreWaitMillis,
        requestDeadline,
        deadlineSafety);
  }

  /**
   * With {@code maxBatch} sequences per shared scoring call (0: none shared) and {@code waitMillis}
   * of wait.
   */
  public ServerConfig withScoreBatching(int maxBatch, long waitMillis) {
    return new ServerConfig(
        host,
        port,
        pools,
        maxBodyBytes,
        workers,
        queueCapacity,
        apiKey,
        defaultMode,
        shutdownTimeout,
        maxEmbedBatch,
        maxBatch,
        waitMillis,
        requestDeadline,
        deadlineSafety);
  }
}
