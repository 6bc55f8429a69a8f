package dev.winnow.prompt.server;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the {@link WorkQueue} knows of the cost of a job: for each kind of job (the route, with the
 * request's shape) and each size class (the request's bytes, in powers of two), the last {@value
 * #WINDOW} jobs' <em>service time</em> (on the worker, wall clock, shared with the jobs running
 * beside it) and <em>work</em> (the share of the machine it took: its service time divided by the
 * jobs running at each moment, {@link WorkQueue}'s virtual clock), both per byte.
 *
 * <p>The work of a job is the mean of its class; its service time a high quantile ({@value
 * #QUANTILE}). A class not measured yet borrows from its kind's nearest smaller class (per byte:
 * more per byte than a larger input needs, as part of a job's cost does not grow with its size),
 * else from the nearest larger class (the whole cost: a smaller input costs no more). Not
 * thread-safe: the queue holds its lock.
 */
final class ServiceEstimates {
  /** Samples kept per kind and size class. */
  static final int WINDOW = 32;

  /** The quantile of the service time a job is expected to need. */
  static final double QUANTILE = 0.9;

  /** The last {@link #WINDOW} jobs of one kind and size class. */
  private static final class Samples {
    final double[] wallPerByte = new double[WINDOW];
    final double[] workPerByte = new double[WINDOW];
    final double[] wall = new double[WINDOW];
    final double[] work = new double[WINDOW];
    int count;
    int next;

    void add(long size, double wallNanos, double workNanos) {
      wallPerByte[next] = wallNanos / size;
      workPerByte[next] = workNanos / size;
      wall[next] = wallNanos;
      work[next] = workNanos;
      next = (next + 1) % WINDOW;
      count = Math.min(WINDOW, count + 1);
    }
  }

  private final Map<String, TreeMap<Integer, Samples>> kinds = new HashMap<>();

  /** The size class of {@code size} bytes: floor(log2(size)), sizes under 1 counted as 1. */
  static int sizeClass(long size) {
    return 63 - Long.numberOfLeadingZeros(Math.max(1, size));
  }

  /** Records a job of {@code kind} and {@code size} bytes that ran that long and took that work. */
  void record(String kind, long size, double wallNanos, double workNanos) {
    long s = Math.max(1, size);
    kinds
        .computeIfAbsent(kind, k -> new TreeMap<>())
        .computeIfAbsent(sizeClass(s), c -> new Samples())
        .add(s, wallNanos, workNanos);
  }

  /** Whether a job of {@code kind} has been measured. */
  boolean known(String kind) {
    return kinds.containsKey(kind);
  }

  /**
   * The expected work (machine nanoseconds: the mean of its class) of a job of {@code kind} and
   * {@code size} bytes, NaN when the kind has not been measured.
   */
  double work(String kind, long size) {
    return estimate(kind, size, false);
  }

  /**
   * The service time (wall nanoseconds on a worker, the {@value #QUANTILE} quantile of its class) a
   * job of {@code kind} and {@code size} bytes is expected to need, NaN when the kind has not been
   * measured.
   */
  double service(String kind, long size) {
    return estimate(kind, size, true);
  }

  private double estimate(String kind, long size, boolean service) {
    TreeMap<Integer, Samples> classes = kinds.get(kind);
    if (classes == null) {
      return Double.NaN;
    }
    long s = Math.max(1, size);
    Map.Entry<Integer, Samples> below = classes.floorEntry(sizeClass(s));
    if (below != null) {
      Samples x = below.getValue();
      return s * (service ? quantile(x.wallPerByte, x.count) : mean(x.workPerByte, x.count));
    }
    Samples x = classes.ceilingEntry(sizeClass(s)).getValue();
    return service ? quantile(x.wall, x.count) : mean(x.work, x.count);
  }

  private static double mean(double[] v, int n) {
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += v[i];
    }
    return sum / n;
  }

  /** The {@link #QUANTILE} quantile of the first {@code n} values (nearest rank). */
  static double quantile(double[] v, int n) {
    return quantile(v, n, QUANTILE);
  }

  static double quantile(double[] v, int n, double q) {
    double[] sorted = Arrays.copyOf(v, n);
    Arrays.sort(sorted);
    int i = (int) Math.ceil(q * n) - 1;
    return sorted[Math.max(0, Math.min(n - 1, i))];
  }
}
