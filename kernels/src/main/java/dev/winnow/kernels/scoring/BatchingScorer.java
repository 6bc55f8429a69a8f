package dev.winnow.kernels.scoring;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Collects inputs from many callers into batched model calls (document scores, embeddings): a
 * batch is sent when it holds {@code batchSize} inputs or {@code maxWaitMillis} after its first
 * input arrived, whichever comes first ({@code 0}: whatever is waiting goes at once). One worker
 * thread makes the calls, so the engine's own threads are never oversubscribed by concurrent callers.
 *
 * <pre>{@code
 * try (BatchingScorer<String, DocumentScore> batcher = BatchingScorer.of(new DocumentScorer(engine, tokenizer), 16, 20)) {
 *     CompletableFuture<DocumentScore> s = batcher.submit(text);
 * }
 * }</pre>
 *
 * @param <I> one input (a text, a token sequence)
 * @param <O> its result
 */
public final class BatchingScorer<I, O> implements AutoCloseable {
    private record Request<I, O>(I input, CompletableFuture<O> result) {
    }

    private final Request<I, O> stopMarker = new Request<>(null, null);
    private final Function<List<I>, List<O>> call;
    private final int batchSize;
    private final long maxWaitNanos;
    private final BlockingQueue<Request<I, O>> queue = new LinkedBlockingQueue<>();
    private final Thread worker;
    private volatile boolean closed;
    private long batches;
    private long documents;

    /** Batches documents into {@link DocumentScorer#scoreAll} calls. */
    public static BatchingScorer<String, DocumentScore> of(DocumentScorer scorer, int batchSize, long maxWaitMillis) {
        return new BatchingScorer<>(scorer::scoreAll, batchSize, maxWaitMillis, "winnow-batching-scorer");
    }

    /**
     * @param call the batched model call: one result per input, in input order
     * @param threadName the worker thread's name
     */
    public BatchingScorer(Function<List<I>, List<O>> call, int batchSize, long maxWaitMillis, String threadName) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("illegal batchSize " + batchSize + ": must be at least 1");
        }
        if (maxWaitMillis < 0) {
            throw new IllegalArgumentException("illegal maxWaitMillis " + maxWaitMillis + ": must be ≥ 0");
        }
        this.call = call;
        this.batchSize = batchSize;
        this.maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(maxWaitMillis);
        this.worker = new Thread(this::run, threadName);
        worker.setDaemon(true);
        worker.start();
    }

    /** Queues one input; the future completes with its result, or exceptionally if the call failed. */
    public CompletableFuture<O> submit(I input) {
        CompletableFuture<O> f = new CompletableFuture<>();
        if (closed) {
            f.completeExceptionally(new IllegalStateException("the batching scorer is closed"));
            return f;
        }
        queue.add(new Request<>(input, f));
        return f;
    }

    /** Scorer calls made so far. */
    public synchronized long batches() {
        return batches;
    }

    /** Inputs handled so far. */
    public synchronized long documents() {
        return documents;
    }

    private void run() {
        List<Request<I, O>> batch = new ArrayList<>(batchSize);
        try {
            while (true) {
                Request<I, O> first = queue.take();
                if (first == stopMarker) {
                    return;
                }
                batch.add(first);
                long deadline = System.nanoTime() + maxWaitNanos;
                boolean stop = false;
                while (batch.size() < batchSize) {
                    long left = deadline - System.nanoTime();
                    Request<I, O> next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
                    if (next == null) {
                        break;
                    }
                    if (next == stopMarker) {
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
            for (Request<I, O> r : batch) {
                r.result.completeExceptionally(new IllegalStateException("the batching scorer stopped"));
            }
            Request<I, O> r;
            while ((r = queue.poll()) != null) {
                if (r != stopMarker) {
                    r.result.completeExceptionally(new IllegalStateException("the batching scorer stopped"));
                }
            }
        }
    }

    private void score(List<Request<I, O>> batch) {
        List<I> inputs = new ArrayList<>(batch.size());
        for (Request<I, O> r : batch) {
            inputs.add(r.input);
        }
        try {
            List<O> results = call.apply(inputs);
            synchronized (this) {
                batches++;
                documents += batch.size();
            }
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result.complete(results.get(i));
            }
        } catch (RuntimeException | Error e) {
            for (Request<I, O> r : batch) {
                r.result.completeExceptionally(e);
            }
        }
    }

    /** Handles what is queued, then stops the worker. */
    @Override
    public void close() {
        closed = true;
        queue.add(stopMarker);
        try {
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
