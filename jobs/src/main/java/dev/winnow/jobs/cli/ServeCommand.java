package dev.winnow.jobs.cli;

import dev.winnow.jobs.models.BundledModels;
import dev.winnow.prompt.CompressionMode;
import dev.winnow.prompt.model.ProxyLm;
import dev.winnow.prompt.server.PromptApiServer;
import dev.winnow.prompt.server.ServerConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "The prompt API over HTTP: POST /v1/compress, /v1/demonstrations/select, /v1/prompts/build, pool "
          + "management under /v1/pools, GET /healthz, /metrics (Prometheus), /openapi.yaml. Runs until SIGTERM or Ctrl-C, "
          + "then finishes the requests in flight."
    })
public final class ServeCommand implements Callable<Integer> {
  @Option(
      names = "--pools",
      defaultValue = "pools",
      description = "Pool root directory: ROOT/NAME is pool NAME (default: ${DEFAULT-VALUE}).")
  Path pools;

  @Option(
      names = "--host",
      defaultValue = ServerConfig.DEFAULT_HOST,
      description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--port",
      defaultValue = "8080",
      description = "TCP port, 0 for any free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--model",
      defaultValue = BundledModels.PROXY_MINI,
      description = "Proxy model directory or the bundled proxy-mini (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(
      names = "--mode",
      defaultValue = "words",
      description =
          "Compression mode of requests that name none: compat or words (default: ${DEFAULT-VALUE}).")
  String mode;

  @Option(
      names = "--threads",
      description = "CPU threads for the forward pass (default: number of cores).")
  Integer threads;

  @Mixin PrecisionOption precision;

  @Option(
      names = "--workers",
      description = "Model jobs run at once (default: twice the cores, at least 4).")
  Integer workers;

  @Option(
      names = "--max-score-batch",
      defaultValue = "" + ServerConfig.DEFAULT_MAX_SCORE_BATCH,
      description =
          "Sequences (and KV-cached windows) of concurrent requests run in one engine call; 0: no shared calls (default: ${DEFAULT-VALUE}).")
  int maxScoreBatch;

  @Option(
      names = "--score-wait-ms",
      defaultValue = "0",
      description =
          "How long a shared scoring call waits for other requests (default: ${DEFAULT-VALUE}: none, batches form while the engine is busy).")
  long scoreWaitMillis;

  @Option(
      names = "--queue",
      defaultValue = "64",
      description = "Model jobs that may wait; beyond that: 429 (default: ${DEFAULT-VALUE}).")
  int queue;

  @Option(
      names = "--deadline-ms",
      defaultValue = "30000",
      description =
          "How long a request may take unless it sends "
              + "X-Deadline-Ms; model work that cannot be answered in time gets 429 with Retry-After (default: ${DEFAULT-VALUE}).")
  long deadlineMs;

  @Option(
      names = "--deadline-safety",
      defaultValue = "" + ServerConfig.DEFAULT_DEADLINE_SAFETY,
      description =
          "The least factor predicted finish times are multiplied by before they are compared with "
              + "a request's deadline; larger refuses more and leaves more room for a slowdown after admission (default: ${DEFAULT-VALUE}).")
  double deadlineSafety;

  @Option(
      names = "--max-body-bytes",
      defaultValue = "" + ServerConfig.DEFAULT_MAX_BODY_BYTES,
      description = "Larger bodies get 413 (default: ${DEFAULT-VALUE}).")
  long maxBodyBytes;

  @Option(
      names = "--api-key-file",
      description =
          "File holding the API key; also read from $WINNOW_API_KEY. Without either, no key is needed.")
  Path apiKeyFile;

  @Option(
      names = "--shutdown-timeout",
      defaultValue = "30",
      description = "Seconds a shutdown waits for requests in flight (default: ${DEFAULT-VALUE}).")
  int shutdownTimeout;

  @Override
  public Integer call() throws Exception {
    String key =
        apiKeyFile != null
            ? Files.readString(apiKeyFile, StandardCharsets.UTF_8).strip()
            : System.getenv("WINNOW_API_KEY");
    int cores = Runtime.getRuntime().availableProcessors();
    ServerConfig config =
        new ServerConfig(
            host,
            port,
            pools,
            maxBodyBytes,
            workers != null ? workers : ServerConfig.defaultWorkers(),
            queue,
            key == null || key.isEmpty() ? null : key,
            CompressionMode.parse(mode),
            Duration.ofSeconds(shutdownTimeout),
            ServerConfig.DEFAULT_MAX_EMBED_BATCH,
            maxScoreBatch,
            scoreWaitMillis,
            Duration.ofMillis(deadlineMs),
            deadlineSafety);
    try (ProxyLm lm =
        ProxyLm.loadCpu(
            BundledModels.resolve(model), threads != null ? threads : cores, precision.value())) {
      PromptApiServer server = PromptApiServer.start(config, lm);
      Thread hook = new Thread(server::close, "winnow-serve-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      System.err.println(
          "winnow serve: listening on "
              + server.url()
              + " (pools in "
              + pools.toAbsolutePath()
              + ": "
              + server.pools().names()
              + (config.apiKey() != null ? "; API key required" : "")
              + ")");
      server.awaitShutdown();
    }
    return 0;
  }
}
