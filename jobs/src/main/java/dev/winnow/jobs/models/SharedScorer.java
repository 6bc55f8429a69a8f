package dev.winnow.jobs.models;

import dev.winnow.jobs.config.ModelCalls;
import dev.winnow.kernels.engine.ScoringEngines;
import dev.winnow.kernels.model.LoadedModel;
import dev.winnow.kernels.model.ModelLoader;
import dev.winnow.kernels.scoring.BatchingScorer;
import dev.winnow.kernels.scoring.DocumentScore;
import dev.winnow.kernels.scoring.DocumentScorer;
import dev.winnow.kernels.scoring.IfdScore;
import dev.winnow.kernels.scoring.InstructionDifficultyScorer;
import dev.winnow.kernels.scoring.ScoringEngine;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One model and one {@link BatchingScorer} per TaskManager JVM, kind of call and configuration,
 * shared by every subtask of a stage there ({@link SharedPerJvm}): the weights are loaded once, and
 * inputs from all subtasks meet in the same batches. The kind of call is generic: document
 * perplexity ({@link #documents}) and instruction-following difficulty of (prompt, response) pairs
 * ({@link #instructionPairs}) each get their own engine and batching thread, so two stages never
 * call one engine concurrently.
 *
 * @param <I> one input of the batched call
 * @param <O> its result
 */
public final class SharedScorer<I, O> implements AutoCloseable {
  private final ScoringEngine engine;
  private final BatchingScorer<I, O> batcher;

  private SharedScorer(ScoringEngine engine, BatchingScorer<I, O> batcher) {
    this.engine = engine;
    this.batcher = batcher;
  }

  /** Per-document perplexity (the {@code score} stage). */
  public static SharedPerJvm.Lease<SharedScorer<String, DocumentScore>> documents(ModelCalls cfg)
      throws Exception {
    return acquire(
        "ppl", cfg, (m, engine) -> new DocumentScorer(engine, m.requireTokenizer())::scoreAll);
  }

  /** IFD of (prompt, response) pairs (the {@code ifd} stage). */
  public static SharedPerJvm.Lease<SharedScorer<InstructionDifficultyScorer.Pair, IfdScore>>
      instructionPairs(ModelCalls cfg) throws Exception {
    return acquire(
        "ifd",
        cfg,
        (m, engine) -> new InstructionDifficultyScorer(engine, m.requireTokenizer())::scoreAll);
  }

  private static <I, O> SharedPerJvm.Lease<SharedScorer<I, O>> acquire(
      String kind,
      ModelCalls cfg,
      BiFunction<LoadedModel, ScoringEngine, Function<List<I>, List<O>>> call)
      throws Exception {
    int threads = cfg.effectiveThreads();
    String key =
        "scorer|"
            + kind
            + "|"
            + cfg.model
            + "|"
            + threads
            + "|"
            + cfg.batchSize
            + "|"
            + cfg.batchTimeoutMs
            + "|"
            + cfg.precision;
    return SharedPerJvm.acquire(
        key,
        () -> {
          LoadedModel m = ModelLoader.load(BundledModels.resolve(cfg.model));
          ScoringEngine engine = ScoringEngines.open(m.weights(), cfg.engineOptions());
          return new SharedScorer<>(
              engine,
              new BatchingScorer<>(
                  call.apply(m, engine),
                  cfg.batchSize,
                  cfg.batchTimeoutMs,
                  "winnow-" + kind + "-scorer"));
        });
  }

  /** The batched call that every subtask's inputs meet in. */
  public BatchingScorer<I, O> batcher() {
    return batcher;
  }

  @Override
  public void close() {
    batcher.close();
    engine.close();
  }
}
