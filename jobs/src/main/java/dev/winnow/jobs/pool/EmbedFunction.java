package dev.winnow.jobs.pool;

import dev.winnow.jobs.models.SharedPerJvm;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;

/**
 * The embedding stage: tokenizes each upserted input (cut to the pool's {@code embed_tokens}) and
 * hands it to the TaskManager's {@link SharedEmbedder}, which batches inputs of all subtasks into
 * shared model calls; the unit vector is attached to the change. Tombstones pass unchanged. Runs
 * under Flink's ordered async I/O operator on a stream keyed by id: the changes of one id leave in
 * the order they came, and in-flight ones are part of every checkpoint.
 */
public class EmbedFunction extends RichAsyncFunction<PoolChange, PoolChange> {
  private final PoolIndexConfig.Embedding cfg;
  private final int embedTokens;
  private transient SharedPerJvm.Lease<SharedEmbedder> shared;

  public EmbedFunction(PoolIndexConfig.Embedding cfg, int embedTokens) {
    this.cfg = cfg;
    this.embedTokens = embedTokens;
  }

  @Override
  public void open(OpenContext openContext) throws Exception {
    shared = SharedEmbedder.acquire(cfg, embedTokens);
  }

  @Override
  public void asyncInvoke(PoolChange c, ResultFuture<PoolChange> out) {
    if (c.delete) {
      out.complete(List.of(c));
      return;
    }
    int[] tokens = shared.get().embedder.tokens(c.input);
    shared
        .get()
        .batcher
        .submit(tokens)
        .whenComplete(
            (vector, err) -> {
              if (err != null) {
                out.completeExceptionally(
                    new IllegalStateException(
                        "embedding demonstration " + c.id + " (" + c.origin + ") failed", err));
                return;
              }
              c.vector = vector;
              out.complete(List.of(c));
            });
  }

  @Override
  public void close() throws Exception {
    if (shared != null) {
      shared.close();
      shared = null;
    }
  }
}
