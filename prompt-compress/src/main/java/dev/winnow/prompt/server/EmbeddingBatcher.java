package dev.winnow.prompt.server;

import dev.winnow.kernels.scoring.BatchingScorer;
import dev.winnow.prompt.pool.DemonstrationEmbedder;
import dev.winnow.prompt.pool.DemonstrationPool;
import java.util.function.Function;

/**
 * Puts the query embeddings of concurrent requests into shared model calls ({@link BatchingScorer}
 * with no wait): one thread takes every sequence waiting (up to {@code maxBatch}) and embeds them
 * in one forward pass, so that under load the model sees a few large batches instead of many single
 * sequences. A lone request is embedded at once.
 */
final class EmbeddingBatcher implements AutoCloseable {
  private final BatchingScorer<int[], float[]> batcher;

  EmbeddingBatcher(DemonstrationEmbedder embedder, int maxBatch) {
    this.batcher =
        new BatchingScorer<>(embedder::embedTokenized, maxBatch, 0, "winnow-embedding-batcher");
  }

  /** The unit embedding of already tokenized and cut {@code tokens}, computed in a shared batch. */
  float[] embed(int[] tokens) {
    return batcher.call(tokens);
  }

  /** Embeds query texts for {@code pool} (tokenized and cut by its embedder) in shared batches. */
  Function<String, float[]> queryEmbedder(DemonstrationPool pool) {
    return text -> embed(pool.embedder().tokens(text));
  }

  long calls() {
    return batcher.batches();
  }

  long sequences() {
    return batcher.documents();
  }

  @Override
  public void close() {
    batcher.close();
  }
}
