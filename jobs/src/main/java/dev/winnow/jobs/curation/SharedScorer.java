package dev.winnow.jobs.curation;

import dev.winnow.jobs.models.BundledModels;
import dev.winnow.kernels.cpu.CpuScoringEngine;
import dev.winnow.kernels.model.LoadedModel;
import dev.winnow.kernels.model.ModelLoader;
import dev.winnow.kernels.scoring.BatchingScorer;
import dev.winnow.kernels.scoring.DocumentScore;
import dev.winnow.kernels.scoring.DocumentScorer;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * One model and one {@link BatchingScorer} per TaskManager JVM and configuration, shared by every scoring subtask
 * there (reference-counted): the weights are loaded once, and documents from all subtasks meet in the same batches.
 */
final class SharedScorer {
  private static final Map<String, SharedScorer> INSTANCES = new HashMap<>();

  private final String key;
  private final CpuScoringEngine engine;
  final BatchingScorer<String, DocumentScore> batcher;
  private int users;

  private SharedScorer(String key, CpuScoringEngine engine, BatchingScorer<String, DocumentScore> batcher) {
    this.key = key;
    this.engine = engine;
    this.batcher = batcher;
  }

  static synchronized SharedScorer acquire(CurationConfig.Score cfg) throws IOException {
    int threads = cfg.threads > 0 ? cfg.threads : Runtime.getRuntime().availableProcessors();
    String key = cfg.model + "|" + threads + "|" + cfg.batchSize + "|" + cfg.batchTimeoutMs;
    SharedScorer s = INSTANCES.get(key);
    if (s == null) {
      LoadedModel m = ModelLoader.load(BundledModels.resolve(cfg.model));
      CpuScoringEngine engine = new CpuScoringEngine(m.weights(), threads);
      s = new SharedScorer(key, engine,
          BatchingScorer.of(new DocumentScorer(engine, m.requireTokenizer()), cfg.batchSize, cfg.batchTimeoutMs));
      INSTANCES.put(key, s);
    }
    s.users++;
    return s;
  }

  void release() {
    synchronized (SharedScorer.class) {
      if (--users == 0) {
        INSTANCES.remove(key);
        batcher.close();
        engine.close();
      }
    }
  }
}
