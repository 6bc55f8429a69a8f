package dev.winnow.kernels.scoring;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Collects inputs from many callers into batched model calls (document scores, embeddings, token
 * losses): a batch is sent when it holds {@code batchSize} inputs or {@code maxWaitMillis} after
 * its first input arrived, whichever comes first ({@code 0}: whatever is waiting goes at once). One
 * worker thread makes the calls, so the engine's own threads are never oversubscribed by concurrent
 * callers.
 *
 * <p>A caller may {@link #submitAll submit a list}: its inputs travel together and are never split
 * across calls, so a batch closes once it holds at least {@code batchSize} inputs (one list larger
 * than {@code batchSize} is a call of its own, as it would be without the batcher).
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
  private record Request<I, O>(List<I> inputs, CompletableFuture<List<O>> result) {}

  private final Request<I, O> stopMarker = new Request<>(List.of(), null);
  private final Function<List<I>, List<O>> call;
  private final int batchSize;
  private final long maxWaitNanos;
  private final BlockingQueue<Request<I, O>> queue = new LinkedBlockingQueue<>();
  private final Thread worker;
  private final Object holdLock = new Object();
  private boolean held;
  private volatile boolean closed;
  private long batches;
  private long documents;
  private long submissions;
  private long pending;

  /** Batches documents into {@link DocumentScorer#scoreAll} calls. */
  public static BatchingScorer<String, DocumentScore> of(
      DocumentScorer scorer, int batchSize, long maxWaitMillis) {
    return new BatchingScorer<>(
        scorer::scoreAll, batchSize, maxWaitMillis, "winnow-batching-scorer");
  }

  /**
   * @param call the batched model call: one result per input, in input order
   * @param threadName the worker thread's name
   */
  public BatchingScorer(
      Function<List<I>, List<O>> call, int batchSize, long maxWaitMillis, String threadName) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("illegal batchSize " + batchSize + ": must be at least 1");
    }
    if (maxWaitMillis < 0) {
      throw new IllegalArgumentException(
          "illegal maxWaitMillis " + maxWaitMillis + ": must be ≥ 0");
    }
    this.call = call;
    this.batchSize = batchSize;
    this.maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(maxWaitMillis);
    this.worker = new Thread(this::run, threadName);
    worker.setDaemon(true);
    worker.start();
  }

  /**
   * Queues one input; the future completes with its result, or exceptionally if the call failed.
   */
  public CompletableFuture<O> submit(I input) {
    return submitAll(List.of(input)).thenApply(results -> results.get(0));
  }

  /**
   * Queues inputs that go to the model together, in one call (shared with other callers' inputs);
   * the future completes with their results in input order. An empty list completes at once.
   */
  public CompletableFuture<List<O>> submitAll(List<I> inputs) {
    CompletableFuture<List<O>> f = new CompletableFuture<>();
    // under the lock that close() takes to queue the stop marker: a request is either queued before
    // the marker
    // (and handled) or refused, never queued after it (where no worker would ever complete it)
    synchronized (this) {
      if (closed) {
        f.completeExceptionally(new IllegalStateException("the batching scorer is closed"));
        return f;
      }
      if (inputs.isEmpty()) {
        f.complete(List.of());
        return f;
      }
      pending++;
      queue.add(new Request<>(List.copyOf(inputs), f));
    }
    return f;
  }

  /**
   * {@link #submitAll} and wait: the results of {@code inputs}, computed in a call shared with
   * other callers. A failure of the call is thrown as it was (a checked one wrapped in an {@link
   * IllegalStateException}).
   */
  public List<O> callAll(List<I> inputs) {
    try {
      return submitAll(inputs).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the model", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r
          ? r
          : new IllegalStateException(e.getCause());
    }
  }

  /** {@link #callAll} of one input. */
  public O call(I input) {
    return callAll(List.of(input)).get(0);
  }

  /**
   * Holds batches back until {@link #release()}: inputs keep queueing and then go out together (to
   * drain the model for a moment, or to make concurrent callers meet deterministically in a test).
   */
  public void hold() {
    synchronized (holdLock) {
      held = true;
    }
  }

  /** Lets held batches go. */
  public void release() {
    synchronized (holdLock) {
      held = false;
      holdLock.notifyAll();
    }
  }

  /** Model calls made so far. */
  public synchronized long batches() {
    return batches;
  }

  /** Inputs handled so far. */
  public synchronized long documents() {
    return documents;
  }

  /**
   * Submissions ({@link #submit} or {@link #submitAll} calls) handled so far; more than {@link
   * #batches()} when callers shared calls.
   */
  public synchronized long submissions() {
    return submissions;
  }

  /** Submissions queued and not yet sent to the model. */
  public synchronized long pending() {
    return pending;
  }

  private void run() {
    List<Request<I, O>> batch = new ArrayList<>();
    try {
      while (true) {
        Request<I, O> first = queue.take();
        if (first == stopMarker) {
          return;
        }
        batch.add(first);
        awaitRelease();
        int size = first.inputs.size();
        long deadline = System.nanoTime() + maxWaitNanos;
        boolean stop = false;
        while (size < batchSize) {
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
          size += next.inputs.size();
        }
        synchronized (this) {
          pending -= batch.size();
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

  private void awaitRelease() throws InterruptedException {
    synchronized (holdLock) {
      while (held && !closed) {
        holdLock.wait();
      }
    }
  }

  private void score(List<Request<I, O>> batch) {
    List<I> inputs = new ArrayList<>();
    for (Request<I, O> r : batch) {
      inputs.addAll(r.inputs);
    }
    try {
      List<O> results = call.apply(inputs);
      if (results.size() != inputs.size()) {
        throw new IllegalStateException(
            "the batched call returned "
                + results.size()
                + " results for "
                + inputs.size()
                + " inputs");
      }
      synchronized (this) {
        batches++;
        documents += inputs.size();
        submissions += batch.size();
      }
      int from = 0;
      for (Request<I, O> r : batch) {
        int to = from + r.inputs.size();
        r.result.complete(Collections.unmodifiableList(new ArrayList<>(results.subList(from, to))));
        from = to;
      }
    } catch (RuntimeException | Error e) {
      if (batch.size() == 1) {
        batch.get(0).result.completeExceptionally(e);
        return;
      }
      // one caller's bad input must not fail the others: each submission again, alone
      for (Request<I, O> r : batch) {
        score(List.of(r));
      }
    }
  }

  /** Handles what is queued (releasing a {@link #hold()}), then stops the worker. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      queue.add(stopMarker);
    }
    release();
    try {
      worker.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
