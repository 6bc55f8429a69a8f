package dev.winnow.prompt.server;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bounded queue in front of the model: {@code workers} jobs run, {@code capacity} wait, and a job
 * beyond that is refused at once (the server answers 429) instead of piling up latency and memory.
 */
final class WorkQueue implements AutoCloseable {
    private final ThreadPoolExecutor executor;
    private final int capacity;

    WorkQueue(int workers, int capacity) {
        AtomicInteger n = new AtomicInteger();
        this.capacity = capacity;
        this.executor = new ThreadPoolExecutor(workers, workers, 0, TimeUnit.SECONDS,
                capacity == 0 ? new java.util.concurrent.SynchronousQueue<>() : new ArrayBlockingQueue<>(capacity),
                r -> {
                    Thread t = new Thread(r, "winnow-api-worker-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
    }

    /** Runs {@code job} on a worker and waits for it; a full queue is a 429. */
    <T> T run(Callable<T> job) throws Exception {
        Future<T> future;
        try {
            future = executor.submit(job);
        } catch (RejectedExecutionException e) {
            throw new ApiException(429, null, "the server is busy: " + executor.getActiveCount() + " jobs running and "
                    + capacity + " waiting (the queue is full); retry shortly");
        }
        try {
            return future.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            throw (Error) cause;
        }
    }

    int waiting() {
        return executor.getQueue().size();
    }

    int running() {
        return executor.getActiveCount();
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            executor.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
