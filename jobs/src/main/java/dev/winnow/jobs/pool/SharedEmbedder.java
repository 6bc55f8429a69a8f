package dev.winnow.jobs.pool;

import dev.winnow.jobs.models.BundledModels;
import dev.winnow.jobs.models.SharedPerJvm;
import dev.winnow.kernels.scoring.BatchingScorer;
import dev.winnow.prompt.model.ProxyLm;
import dev.winnow.prompt.pool.DemonstrationEmbedder;

/**
 * One proxy model, embedder and {@link BatchingScorer} per TaskManager JVM and setting ({@link
 * SharedPerJvm}), shared by every embedding subtask and the pool writer there: the weights are
 * loaded once, and inputs from all subtasks meet in the same model calls ({@link
 * DemonstrationEmbedder#embedTokenized}, as the API server's query batcher does).
 */
final class SharedEmbedder implements AutoCloseable {
  final ProxyLm lm;
  final DemonstrationEmbedder embedder;
  final BatchingScorer<int[], float[]> batcher;

  private SharedEmbedder(
      ProxyLm lm, DemonstrationEmbedder embedder, BatchingScorer<int[], float[]> batcher) {
    this.lm = lm;
    this.embedder = embedder;
    this.batcher = batcher;
  }

  static SharedPerJvm.Lease<SharedEmbedder> acquire(PoolIndexConfig.Embedding cfg, int embedTokens)
      throws Exception {
    int threads = cfg.effectiveThreads();
    String key =
        "pool-embedder|"
            + cfg.model
            + "|"
            + threads
            + "|"
            + cfg.batchSize
            + "|"
            + cfg.batchTimeoutMs
            + "|"
            + embedTokens;
    return SharedPerJvm.acquire(
        key,
        () -> {
          ProxyLm lm = ProxyLm.loadCpu(BundledModels.resolve(cfg.model), threads);
          DemonstrationEmbedder embedder = new DemonstrationEmbedder(lm, embedTokens);
          return new SharedEmbedder(
              lm,
              embedder,
              new BatchingScorer<>(
                  embedder::embedTokenized,
                  cfg.batchSize,
                  cfg.batchTimeoutMs,
                  "winnow-pool-embedder"));
        });
  }

  @Override
  public void close() {
    batcher.close();
    lm.close();
  }
}
