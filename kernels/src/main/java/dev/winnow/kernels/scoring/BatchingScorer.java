package dev.winnow.kernels.scoring;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Collects documents from many callers into batched {@link DocumentScorer} calls: a batch is sent
 * when it holds {@code batchSize} documents or {@code maxWaitMillis} after its first document
 * arrived, whichever comes first. One worker thread calls the scorer, so the engine's own threads
 * are never oversubscribed by concurrent callers.
 *
 * <pre>{@code
 * try (BatchingScorer batcher = new BatchingScorer(new DocumentScorer(engine, tokenizer), 16, 20)) {
 *     CompletableFuture<DocumentScore> s = batcher.submit(text);
 * }
 * }</pre>
 */
public final class BatchingScorer implements AutoCloseable {
    private record Request(String text, CompletableFuture<DocumentScore> result) {
    }

    private static final Request STOP = new Request(null, null);

    private final DocumentScorer scorer;
    private final int batchSize;
    private final long maxWaitNanos;
    private final BlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    private final Thread worker;
    private volatile boolean closed;
    private long batches;
    private long documents;

    public BatchingScorer(DocumentScorer scorer, int batchSize, long maxWaitMillis) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("illegal batchSize " + batchSize + ": must be at least 1");
        }
        if (maxWaitMillis < 0) {
            throw new IllegalArgumentException("illegal maxWaitMillis " + maxWaitMillis + ": must be ≥ 0");
        }
        this.scorer = scorer;
        this.batchSize = batchSize;
        this.maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(maxWaitMillis);
        this.worker = new Thread(this::run, "winnow-batching-scorer");
        worker.setDaemon(true);
        worker.start();
    }

    /** Queues one document; the future completes with its score, or exceptionally if scoring failed. */
    public CompletableFuture<DocumentScore> submit(String text) {
        CompletableFuture<DocumentScore> f = new CompletableFuture<>();
        if (closed) {
            f.completeExceptionally(new IllegalStateException("the batching scorer is closed"));
            return f;
        }
        queue.add(new Request(text, f));
        return f;
    }

    /** Scorer calls made so far. */
    public synchronized long batches() {
        return batches;
    }

    /** Documents scored so far. */
    public synchronized long documents() {
        return documents;
    }

    private void run() {
        List<Request> batch = new ArrayList<>(batchSize);
        try {
            while (true) {
                Request first = queue.take();
                if (first == STOP) {
                    return;
                }
                batch.add(first);
                long deadline = System.nanoTime() + maxWaitNanos;
                boolean stop = false;
                while (batch.size() < batchSize) {
                    long left = deadline - System.nanoTime();
                    Request next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
                    if (next == null) {
                        break;
                    }
                    if (next == STOP) {
                        stop = true;
                        break;
                    }
                    batch.add(next);
                }
                score(batch);
                batch.clear();
                if (stop) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            for (Request r : batch) {
                r.result.completeExceptionally(new IllegalStateException("the batching scorer stopped"));
            }
            Request r;
            while ((r = queue.poll()) != null) {
                if (r != STOP) {
                    r.result.completeExceptionally(new IllegalStateException("the batching scorer stopped"));
                }
            }
        }
    }

    private void score(List<Request> batch) {
        List<String> texts = new ArrayList<>(batch.size());
        for (Request r : batch) {
            texts.add(r.text);
        }
        try {
            List<DocumentScore> scores = scorer.scoreAll(texts);
            synchronized (this) {
                batches++;
                documents += batch.size();
            }
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result.complete(scores.get(i));
            }
        } catch (RuntimeException | Error e) {
            for (Request r : batch) {
                r.result.completeExceptionally(e);
            }
        }
    }

    /** Scores what is queued, then stops the worker. */
    @Override
    public void close() {
        closed = true;
        queue.add(STOP);
        try {
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
