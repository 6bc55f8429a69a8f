package dev.winnow.prompt.server;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The bounded queue in front of the model: {@code workers} jobs run, {@code capacity} wait, and a
 * job beyond that is refused at once (the server answers 429) instead of piling up latency and
 * memory. Waiting jobs start earliest deadline first (ties: first come).
 *
 * <p>A job may have a deadline (a clock instant, {@link System#nanoTime()} in the server). The
 * decision is taken once, on arrival, so that a refusal costs the client no waiting ({@link
 * ApiException#overloaded}, 429 with {@code Retry-After}); <b>a job admitted is never refused
 * later</b>: it runs, and if it ends after its deadline that is counted ({@link #overruns()}) and
 * makes the queue stricter. A job with a deadline is admitted when its predicted end, scaled by the
 * safety factor, comes before the deadline less an allowance for the work outside the queue ({@link
 * #allowance}), and when it makes no job admitted before it late the same way:
 *
 * <ul>
 *   <li><b>predicted end</b>: the queue plays its own schedule forward ({@link #simulate}): the
 *       jobs running go on with the work they still need, the waiting ones and the new one take the
 *       workers that free up earliest deadline first, and the jobs running share the machine
 *       evenly. A job's <em>work</em> is measured with a virtual clock that runs at 1 ÷ the jobs
 *       running, so that the work drains at one second per second however many jobs share the
 *       machine: a wall-clock service time measured with four jobs running would be four times too
 *       long for a job that runs alone, and would shut out a route whose jobs fit the deadline only
 *       one or two at a time. Work is measured per kind of job and size of input ({@link
 *       ServiceEstimates}: the mean over the last {@value ServiceEstimates#WINDOW} jobs of the
 *       class). So concurrency is bounded by the deadlines, not only by the workers;
 *   <li><b>safety factor</b> = the largest of the least factor given (the server's {@code
 *       --deadline-safety}, 2 by default; {@value #MIN_SAFETY} here unless told), the {@value
 *       #RATIO_QUANTILE} quantile of actual ÷ predicted time over the last {@value #RATIOS} jobs
 *       (and the elapsed ÷ predicted time of each job still running, so that a slowdown counts
 *       before the slow jobs end), and that raised by {@value #OVERRUN_STEP}× for each job that
 *       ended after its deadline (decaying back by {@value #OVERRUN_DECAY} per job on time): a busy
 *       machine, or a prediction that keeps falling short, makes the queue stricter by itself. The
 *       floor keeps room for a slowdown that begins after admission. A job that finds the queue
 *       idle is admitted on its unscaled prediction (its best chance, and how a route's estimate
 *       recovers after a busy spell).
 * </ul>
 *
 * A job of a kind not measured yet starts when a worker is free for it (that is how the kind gets
 * measured) and is refused otherwise, since its cost cannot be predicted; a job without a deadline
 * ({@link #NONE}) waits last. Queue wait and service time are counted apart.
 */
final class WorkQueue implements AutoCloseable {
  /** No deadline. */
  static final long NONE = Long.MAX_VALUE;

  /**
   * The least safety factor on predicted finish times unless the constructor is told another (the
   * server passes {@link ServerConfig#deadlineSafety()}).
   */
  static final double MIN_SAFETY = 1.5;

  /** The most the safety factor may grow to. */
  static final double MAX_SAFETY = 6;

  /** Jobs whose actual ÷ predicted time the safety factor is taken from. */
  static final int RATIOS = 64;

  /** The quantile of actual ÷ predicted time taken as safety factor. */
  static final double RATIO_QUANTILE = 0.95;

  /** The safety factor's multiplier for each admitted job that ends after its deadline. */
  static final double OVERRUN_STEP = 1.25;

  /** Each job on time takes the overrun multiplier back by this factor (down to 1). */
  static final double OVERRUN_DECAY = 0.995;

  /**
   * Time kept back from every deadline for what happens outside the queue (reading the request,
   * writing the answer): 10 ms plus 2% of the time left.
   */
  static long allowance(long leftNanos) {
    return 10_000_000L + leftNanos / 50;
  }

  /** One job: what the queue predicted of it and what became of it. */
  private final class Job {
    final String kind;
    final long size;
    final long deadline;

    /** The deadline less the allowance: the job is on time when it ends before. */
    final long limit;

    final long seq;
    final long admitted;
    final double work;
    final Callable<?> call;
    final CompletableFuture<Object> result = new CompletableFuture<>();

    /** Predicted time from admission to the end, without the safety factor; 0: none made. */
    double predicted;

    long started;
    double virtualAtStart;

    Job(String kind, long size, long deadline, long now, Callable<?> call) {
      this.kind = kind;
      this.size = size;
      this.deadline = deadline;
      this.limit = deadline == NONE ? NONE : deadline - allowance(deadline - now);
      this.seq = nextSeq++;
      this.admitted = now;
      this.work = estimates.known(kind) ? estimates.work(kind, size) : 0;
      this.call = call;
    }

    /** What it still needs of the machine, in nanoseconds of work. Holds the lock. */
    double remaining() {
      double done = virtual - virtualAtStart;
      // past its prediction it is still expected to need a little
      return Math.max(work - done, 0.1 * work);
    }
  }

  private static final Comparator<Job> EARLIEST_DEADLINE =
      Comparator.<Job>comparingLong(j -> j.deadline).thenComparingLong(j -> j.seq);

  private final int workers;
  private final int capacity;
  private final double minSafety;
  private final LongSupplier clock;
  private final ServiceEstimates estimates = new ServiceEstimates();
  private final TreeSet<Job> waiting = new TreeSet<>(EARLIEST_DEADLINE);
  private final Map<Job, Boolean> running = new IdentityHashMap<>();
  private final List<Thread> threads = new ArrayList<>();
  private long nextSeq;
  private boolean closing;

  /** Machine-nanoseconds handed out to the jobs running: advances at 1 ÷ their number. */
  private double virtual;

  private long virtualUpdated;
  private final double[] ratios = new double[RATIOS];
  private int ratioCount;
  private int ratioNext;
  private double overrunBoost = 1;

  private final LongAdder waitCount = new LongAdder();
  private final LongAdder waitNanos = new LongAdder();
  private final LongAdder serviceCount = new LongAdder();
  private final LongAdder serviceNanos = new LongAdder();
  private final LongAdder refusedFull = new LongAdder();
  private final LongAdder refusedAtAdmission = new LongAdder();
  private final LongAdder overran = new LongAdder();

  WorkQueue(int workers, int capacity) {
    this(workers, capacity, MIN_SAFETY, System::nanoTime);
  }

  WorkQueue(int workers, int capacity, LongSupplier clock) {
    this(workers, capacity, MIN_SAFETY, clock);
  }

  /**
   * @param minSafety the least safety factor ({@link #MIN_SAFETY} by default)
   * @param clock nanoseconds, the clock deadlines are given in ({@link System#nanoTime()}; a fake
   *     one in tests)
   */
  WorkQueue(int workers, int capacity, double minSafety, LongSupplier clock) {
    this.minSafety = minSafety;
    this.workers = workers;
    this.capacity = capacity;
    this.clock = clock;
    this.virtualUpdated = clock.getAsLong();
    AtomicInteger n = new AtomicInteger();
    for (int i = 0; i < workers; i++) {
      Thread t = new Thread(this::work, "winnow-api-worker-" + n.incrementAndGet());
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  /** Runs {@code job} on a worker and waits for it; a full queue is a 429. */
  <T> T run(Callable<T> job) throws Exception {
    return run("other", 1, NONE, job);
  }

  /**
   * Runs {@code job} of kind {@code kind} and {@code size} units of work (e.g. the request's bytes)
   * on a worker and waits for it; a full queue, or a {@code deadline} (the queue's clock, or {@link
   * #NONE}) it cannot promise to meet, is a 429, given at once.
   */
  @SuppressWarnings("unchecked")
  <T> T run(String kind, long size, long deadline, Callable<T> job) throws Exception {
    Job j = admit(kind, size, deadline, job);
    try {
      return (T) j.result.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception ex) {
        throw ex;
      }
      throw (Error) cause;
    }
  }

  /** Admits the job and puts it in line, or throws the 429. */
  private synchronized Job admit(String kind, long size, long deadline, Callable<?> call) {
    long now = clock.getAsLong();
    advance(now);
    Job job = new Job(kind, Math.max(1, size), deadline, now, call);
    // a worker is there for it as soon as the waiting jobs have taken theirs
    boolean free = !closing && running.size() + waiting.size() < workers;
    if (!free && (closing || waiting.size() >= capacity)) {
      refusedFull.increment();
      throw new ApiException(
          429,
          null,
          "the server is busy: "
              + running.size()
              + " jobs running and "
              + waiting.size()
              + " waiting (the queue is full); retry shortly");
    }
    if (!estimates.known(kind)) {
      if (!free && deadline != NONE) {
        refusedAtAdmission.increment();
        throw ApiException.overloaded(
            aheadOf(job),
            "cannot promise an answer within the request's deadline: no "
                + kind
                + " job has been measured yet and every worker is busy; retry shortly");
      }
    } else if (deadline != NONE) {
      job.predicted = 0;
      double safety = running.isEmpty() && waiting.isEmpty() ? 1 : safety();
      Map<Job, Double> without = simulate(null);
      Map<Job, Double> with = simulate(job);
      double own = with.get(job);
      if (now + safety * own > job.limit) {
        refusedAtAdmission.increment();
        throw ApiException.overloaded(
            now + safety * own - job.limit,
            "cannot answer within the request's deadline: "
                + running.size()
                + " jobs running and "
                + waiting.size()
                + " waiting, about "
                + millis(aheadOf(job))
                + " ms of work ahead and "
                + millis(job.work)
                + " ms of its own, predicted to end in "
                + millis(own)
                + " ms, × "
                + String.format(java.util.Locale.ROOT, "%.2f", safety)
                + " for safety; "
                + millis(job.limit - now)
                + " ms left; retry later or give a longer deadline (X-Deadline-Ms)");
      }
      for (Map.Entry<Job, Double> e : without.entrySet()) {
        Job other = e.getKey();
        if (other.limit != NONE
            && now + safety * e.getValue() <= other.limit
            && now + safety * with.get(other) > other.limit) {
          refusedAtAdmission.increment();
          throw ApiException.overloaded(
              now + safety * with.get(other) - other.limit,
              "cannot answer within the request's deadline without making a job admitted before"
                  + " it late; retry shortly");
        }
      }
      job.predicted = own;
    }
    waiting.add(job);
    notifyAll();
    return job;
  }

  /** The work ahead of {@code job} (nanoseconds): the running jobs' and those due sooner. */
  private double aheadOf(Job job) {
    double ahead = 0;
    for (Job r : running.keySet()) {
      ahead += r.remaining();
    }
    for (Job w : waiting) {
      if (EARLIEST_DEADLINE.compare(w, job) < 0) {
        ahead += w.work;
      }
    }
    return ahead;
  }

  /**
   * When each job running or waiting (and {@code extra}, when not null, put in line) is predicted
   * to end, in nanoseconds from now: the jobs running go on with what they still need, the waiting
   * ones take the workers that free up earliest deadline first, and the machine is shared evenly
   * among the jobs running (each advances at 1 ÷ their number, the virtual clock's rate). No job
   * arriving later is counted: its own admission checks that it makes none of these late. Holds the
   * lock.
   */
  private Map<Job, Double> simulate(Job extra) {
    Map<Job, Double> ends = new IdentityHashMap<>();
    List<Job> active = new ArrayList<>();
    List<Double> left = new ArrayList<>();
    for (Job r : running.keySet()) {
      active.add(r);
      left.add(r.remaining());
    }
    java.util.Iterator<Job> line = waiting.iterator();
    Job nextWaiting = line.hasNext() ? line.next() : null;
    boolean extraPending = extra != null;
    double t = 0;
    while (true) {
      while (active.size() < workers) {
        Job next;
        if (extraPending
            && (nextWaiting == null || EARLIEST_DEADLINE.compare(extra, nextWaiting) < 0)) {
          next = extra;
          extraPending = false;
        } else if (nextWaiting != null) {
          next = nextWaiting;
          nextWaiting = line.hasNext() ? line.next() : null;
        } else {
          break;
        }
        active.add(next);
        left.add(next.work);
      }
      if (active.isEmpty()) {
        return ends;
      }
      double least = Double.MAX_VALUE;
      for (double l : left) {
        least = Math.min(least, l);
      }
      int c = active.size();
      t += least * c;
      for (int i = c - 1; i >= 0; i--) {
        double l = left.get(i) - least;
        if (l <= 1e-9 * Math.max(1, least)) {
          ends.put(active.remove(i), t);
          left.remove(i);
        } else {
          left.set(i, l);
        }
      }
    }
  }

  /** Moves the virtual clock to {@code now}. Holds the lock. */
  private void advance(long now) {
    if (!running.isEmpty() && now > virtualUpdated) {
      virtual += (double) (now - virtualUpdated) / running.size();
    }
    virtualUpdated = Math.max(virtualUpdated, now);
  }

  /** The safety factor on predicted times. Holds the lock. */
  private double safety() {
    double fromRatios =
        ratioCount == 0 ? 1 : ServiceEstimates.quantile(ratios, ratioCount, RATIO_QUANTILE);
    // a job running past its prediction is a slowdown seen before it ends: counted at once
    long now = clock.getAsLong();
    for (Job r : running.keySet()) {
      if (r.predicted > 0) {
        fromRatios = Math.max(fromRatios, (now - r.admitted) / r.predicted);
      }
    }
    return Math.min(MAX_SAFETY, Math.max(minSafety, fromRatios) * overrunBoost);
  }

  /** A worker: takes the waiting job with the earliest deadline and runs it, until closed. */
  private void work() {
    while (true) {
      Job job;
      synchronized (this) {
        while (waiting.isEmpty() || running.size() >= workers) {
          if (closing && waiting.isEmpty()) {
            return;
          }
          try {
            wait();
          } catch (InterruptedException e) {
            return;
          }
        }
        job = waiting.pollFirst();
        long now = clock.getAsLong();
        advance(now);
        running.put(job, Boolean.TRUE);
        job.started = now;
        job.virtualAtStart = virtual;
      }
      waitCount.increment();
      waitNanos.add(job.started - job.admitted);
      Object value = null;
      Throwable failure = null;
      try {
        value = job.call.call();
      } catch (Throwable t) {
        failure = t;
      }
      // counted before the caller hears of it
      finished(job);
      if (failure == null) {
        job.result.complete(value);
      } else {
        job.result.completeExceptionally(failure);
      }
    }
  }

  private synchronized void finished(Job job) {
    long now = clock.getAsLong();
    advance(now);
    running.remove(job);
    long served = now - job.started;
    serviceCount.increment();
    serviceNanos.add(served);
    estimates.record(job.kind, job.size, served, virtual - job.virtualAtStart);
    if (job.predicted > 0) {
      ratios[ratioNext] = (now - job.admitted) / job.predicted;
      ratioNext = (ratioNext + 1) % RATIOS;
      ratioCount = Math.min(RATIOS, ratioCount + 1);
    }
    if (job.limit != NONE) {
      if (now > job.limit) {
        overran.increment();
        overrunBoost = Math.min(MAX_SAFETY, overrunBoost * OVERRUN_STEP);
      } else {
        overrunBoost = Math.max(1, overrunBoost * OVERRUN_DECAY);
      }
    }
    notifyAll();
  }

  private static long millis(double nanos) {
    return Math.round(nanos / 1e6);
  }

  synchronized int waiting() {
    return waiting.size();
  }

  synchronized int running() {
    return running.size();
  }

  /**
   * The expected work of a job of {@code kind} and {@code size} (machine nanoseconds; NaN before
   * the kind has been measured).
   */
  synchronized double expectedWork(String kind, long size) {
    return estimates.work(kind, size);
  }

  /**
   * The expected service time of a job of {@code kind} and {@code size} (wall nanoseconds on a
   * worker; NaN before the kind has been measured).
   */
  synchronized double expectedService(String kind, long size) {
    return estimates.service(kind, size);
  }

  /** Records a measurement as if a job had run (for tests: known estimates, no timing). */
  synchronized void record(String kind, long size, double serviceNanos, double workNanos) {
    estimates.record(kind, size, serviceNanos, workNanos);
  }

  /** The safety factor predicted finish times are multiplied by now. */
  synchronized double safetyFactor() {
    return safety();
  }

  long waits() {
    return waitCount.sum();
  }

  double waitSeconds() {
    return waitNanos.sum() / 1e9;
  }

  long services() {
    return serviceCount.sum();
  }

  double serviceSeconds() {
    return serviceNanos.sum() / 1e9;
  }

  /** Admitted jobs with a deadline that ended after it (less the allowance). */
  long overruns() {
    return overran.sum();
  }

  /** Jobs refused: {@code full} (no room in the queue), {@code deadline} (on arrival). */
  long refused(String reason) {
    return switch (reason) {
      case "full" -> refusedFull.sum();
      case "deadline" -> refusedAtAdmission.sum();
      default -> throw new IllegalArgumentException("reason: " + reason + " (full or deadline)");
    };
  }

  /** Takes no more jobs, runs those waiting (for up to 30 s), then stops the workers. */
  @Override
  public void close() {
    synchronized (this) {
      closing = true;
      notifyAll();
    }
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    for (Thread t : threads) {
      try {
        t.join(Math.max(1, (end - System.nanoTime()) / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    for (Thread t : threads) {
      t.interrupt();
    }
  }
}
