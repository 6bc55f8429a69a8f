package dev.winnow.jobs.curation;

import dev.winnow.jobs.models.BundledModels;
import dev.winnow.kernels.cpu.CpuScoringEngine;
import dev.winnow.kernels.model.LoadedModel;
import dev.winnow.kernels.model.ModelLoader;
import dev.winnow.kernels.scoring.BatchingScorer;
import dev.winnow.kernels.scoring.DocumentScore;
import dev.winnow.kernels.scoring.DocumentScorer;
import dev.winnow.kernels.scoring.IfdScore;
import dev.winnow.kernels.scoring.InstructionDifficultyScorer;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One model and one {@link BatchingScorer} per TaskManager JVM, kind of call and configuration, shared by every
 * subtask of a stage there (reference-counted): the weights are loaded once, and inputs from all subtasks meet in the
 * same batches. The kind of call is generic: document perplexity ({@link #documents}) and instruction-following
 * difficulty of (prompt, response) pairs ({@link #instructionPairs}) each get their own engine and batching thread,
 * so two stages never call one engine concurrently.
 *
 * @param <I> one input of the batched call
 * @param <O> its result
 */
final class SharedScorer<I, O> {
  private static final Map<String, SharedScorer<?, ?>> INSTANCES = new HashMap<>();

  private final String key;
  private final CpuScoringEngine engine;
  final BatchingScorer<I, O> batcher;
  private int users;

  private SharedScorer(String key, CpuScoringEngine engine, BatchingScorer<I, O> batcher) {
    this.key = key;
    this.engine = engine;
    this.batcher = batcher;
  }

  /** Per-document perplexity (the {@code score} stage). */
  static SharedScorer<String, DocumentScore> documents(CurationConfig.Score cfg) throws IOException {
    return acquire("ppl", cfg.model, cfg.threads, cfg.batchSize, cfg.batchTimeoutMs,
        (m, engine) -> new DocumentScorer(engine, m.requireTokenizer())::scoreAll);
  }

  /** IFD of (prompt, response) pairs (the {@code ifd} stage). */
  static SharedScorer<InstructionDifficultyScorer.Pair, IfdScore> instructionPairs(CurationConfig.Ifd cfg)
      throws IOException {
    return acquire("ifd", cfg.model, cfg.threads, cfg.batchSize, cfg.batchTimeoutMs,
        (m, engine) -> new InstructionDifficultyScorer(engine, m.requireTokenizer())::scoreAll);
  }

  @SuppressWarnings("unchecked")
  private static synchronized <I, O> SharedScorer<I, O> acquire(String kind, String model, int threadsCfg, int batchSize,
      long batchTimeoutMs, BiFunction<LoadedModel, CpuScoringEngine, Function<List<I>, List<O>>> call) throws IOException {
    int threads = threadsCfg > 0 ? threadsCfg : Runtime.getRuntime().availableProcessors();
    String key = kind + "|" + model + "|" + threads + "|" + batchSize + "|" + batchTimeoutMs;
    SharedScorer<I, O> s = (SharedScorer<I, O>) INSTANCES.get(key);
    if (s == null) {
      LoadedModel m = ModelLoader.load(BundledModels.resolve(model));
      CpuScoringEngine engine = new CpuScoringEngine(m.weights(), threads);
      s = new SharedScorer<>(key, engine,
          new BatchingScorer<>(call.apply(m, engine), batchSize, batchTimeoutMs, "winnow-" + kind + "-scorer"));
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
