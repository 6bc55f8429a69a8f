package dev.winnow.jobs.curation;

import dev.winnow.jobs.models.BundledModels;
import dev.winnow.jobs.models.SharedPerJvm;
import dev.winnow.kernels.cpu.CpuScoringEngine;
import dev.winnow.kernels.model.LoadedModel;
import dev.winnow.kernels.model.ModelLoader;
import dev.winnow.kernels.scoring.BatchingScorer;
import dev.winnow.kernels.scoring.DocumentScore;
import dev.winnow.kernels.scoring.DocumentScorer;

/**
 * One model and one {@link BatchingScorer} per TaskManager JVM and configuration, shared by every scoring subtask
 * there ({@link SharedPerJvm}): the weights are loaded once, and documents from all subtasks meet in the same batches.
 */
final class SharedScorer implements AutoCloseable {
  private final CpuScoringEngine engine;
  final BatchingScorer<String, DocumentScore> batcher;

  private SharedScorer(CpuScoringEngine engine, BatchingScorer<String, DocumentScore> batcher) {
    this.engine = engine;
    this.batcher = batcher;
  }

  static SharedPerJvm.Lease<SharedScorer> acquire(CurationConfig.Score cfg) throws Exception {
    int threads = cfg.threads > 0 ? cfg.threads : Runtime.getRuntime().availableProcessors();
    String key = "scorer|" + cfg.model + "|" + threads + "|" + cfg.batchSize + "|" + cfg.batchTimeoutMs;
    return SharedPerJvm.acquire(key, () -> {
      LoadedModel m = ModelLoader.load(BundledModels.resolve(cfg.model));
      CpuScoringEngine engine = new CpuScoringEngine(m.weights(), threads);
      return new SharedScorer(engine,
          BatchingScorer.of(new DocumentScorer(engine, m.requireTokenizer()), cfg.batchSize, cfg.batchTimeoutMs));
    });
  }

  @Override
  public void close() {
    batcher.close();
    engine.close();
  }
}
