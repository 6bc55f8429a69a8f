package dev.winnow.jobs.pool;

import dev.winnow.jobs.common.CountingFunction;
import dev.winnow.jobs.common.RuleCounters;
import dev.winnow.jobs.models.SharedPerJvm;
import dev.winnow.prompt.pool.DemonstrationPool;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The one writer of the pool (parallelism 1: a Lucene directory has one {@code IndexWriter}):
 * applies each change to the {@link DemonstrationPool} (upsert by id with the vector computed
 * upstream, or delete) and commits the Lucene index when a checkpoint is taken and when the job
 * ends. Counts {@code upserted} and {@code deleted} in checkpointed state, so after a restart they
 * count each record once.
 *
 * <p>Why replay is harmless, see {@link PoolIndexJob}: the commit happens in {@link
 * #snapshotState}, before the checkpoint completes, so the pool on disk always holds at least what
 * the checkpoint's source offsets cover; records after those offsets are read again after a failure
 * and applied again, and applying the same upserts and deletes of an id again, in the same order,
 * leaves the same state.
 */
public class PoolWriterFunction extends ProcessFunction<PoolChange, Void>
    implements CountingFunction {
  private final PoolIndexConfig cfg;
  private final int embedTokens;
  private transient SharedPerJvm.Lease<SharedEmbedder> shared;
  private transient DemonstrationPool pool;
  private final RuleCounters counters = new RuleCounters();

  @Override
  public RuleCounters counters() {
    return counters;
  }

  public PoolWriterFunction(PoolIndexConfig cfg, int embedTokens) {
    this.cfg = cfg;
    this.embedTokens = embedTokens;
  }

  @Override
  public void open(OpenContext openContext) throws Exception {
    shared = SharedEmbedder.acquire(cfg.embedding, embedTokens);
    pool = DemonstrationPool.open(cfg.poolDirectory(), shared.get().embedder);
  }

  @Override
  public void processElement(PoolChange c, Context ctx, Collector<Void> out) throws Exception {
    if (c.delete) {
      pool.stageDelete(c.id);
      counters.inc("deleted");
    } else {
      pool.stage(c.demonstration(), c.vector);
      counters.inc("upserted");
    }
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    pool.commit();
    CountingFunction.super.snapshotState(context);
  }

  /**
   * Closes the pool, which commits what was applied (at the end of a bounded run; after a failure,
   * see the class).
   */
  @Override
  public void close() throws Exception {
    try {
      if (pool != null) {
        pool.close();
        pool = null;
      }
    } finally {
      if (shared != null) {
        shared.close();
        shared = null;
      }
    }
  }
}
