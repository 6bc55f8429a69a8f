package dev.winnow.prompt.server;

import dev.winnow.prompt.pool.DemonstrationEmbedder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * Puts the query embeddings of concurrent requests into shared model calls: one thread takes every
 * sequence waiting (up to {@code maxBatch}) and embeds them in one forward pass, so that under load
 * the model sees a few large batches instead of many single sequences. No waiting is added: a lone
 * request is embedded at once.
 */
final class EmbeddingBatcher implements AutoCloseable {
    private record Job(int[] tokens, CompletableFuture<float[]> result) {
    }

    private final DemonstrationEmbedder embedder;
    private final int maxBatch;
    private final LinkedBlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final LongAdder calls = new LongAdder();
    private final LongAdder sequences = new LongAdder();
    private volatile boolean closed;

    EmbeddingBatcher(DemonstrationEmbedder embedder, int maxBatch) {
        this.embedder = embedder;
        this.maxBatch = maxBatch;
        this.thread = new Thread(this::loop, "winnow-embedding-batcher");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** The unit embedding of already tokenized and cut {@code tokens}, computed in a shared batch. */
    float[] embed(int[] tokens) {
        if (closed) {
            throw new IllegalStateException("the embedding batcher is closed");
        }
        CompletableFuture<float[]> f = new CompletableFuture<>();
        queue.add(new Job(tokens, f));
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for an embedding", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    long calls() {
        return calls.sum();
    }

    long sequences() {
        return sequences.sum();
    }

    private void loop() {
        List<Job> batch = new ArrayList<>();
        while (!closed) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                break;
            }
            queue.drainTo(batch, maxBatch - 1);
            try {
                List<float[]> vectors = embedder.embedTokenized(batch.stream().map(Job::tokens).toList());
                calls.increment();
                sequences.add(batch.size());
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).result().complete(vectors.get(i));
                }
            } catch (RuntimeException | Error e) {
                batch.forEach(j -> j.result().completeExceptionally(e));
            }
            batch.clear();
        }
        List<Job> left = new ArrayList<>();
        queue.drainTo(left);
        left.forEach(j -> j.result().completeExceptionally(new IllegalStateException("the server is shutting down")));
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
