package dev.winnow.jobs.cli;

import java.io.PrintStream;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * A foreground job's live progress from its own metrics: documents in, kept, rejected and
 * dead-lettered so far (the jobs' per-rule counters, group {@code winnow}), docs/s, and the last
 * completed checkpoint (Flink's checkpoint gauges). A Flink metric reporter in this JVM holds the
 * metrics as the MiniCluster registers them; a daemon thread prints one line every two seconds.
 */
public final class LiveProgress implements AutoCloseable {
  private static final Set<Counter> IN = ConcurrentHashMap.newKeySet();
  private static final Set<Counter> KEPT = ConcurrentHashMap.newKeySet();
  private static final Set<Counter> REJECTED = ConcurrentHashMap.newKeySet();
  private static final Set<Counter> DEAD = ConcurrentHashMap.newKeySet();
  private static final Map<Metric, Boolean> CHECKPOINTS = new ConcurrentHashMap<>();

  /**
   * The most each count has reached: a finished source subtask of a bounded job deregisters its
   * counters while the rest of the job still runs, and a restarted attempt restores the counts of
   * its checkpoint, so the sum of the live counters can fall back; the progress never does.
   */
  private static final Map<String, Long> PEAK = new ConcurrentHashMap<>();

  private final PrintStream out;
  private final boolean terminal;
  private final Thread thread;
  private volatile boolean stop;

  private LiveProgress(PrintStream out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
    this.thread = new Thread(this::loop, "winnow-progress");
    this.thread.setDaemon(true);
  }

  /** Adds the reporter to a job's Flink settings (before the MiniCluster starts). */
  public static Configuration report(Configuration conf) {
    conf.setString("metrics.reporter.winnow-progress.factory.class", Factory.class.getName());
    return conf;
  }

  /** Starts printing to {@code out}; on a terminal the line is redrawn in place. */
  public static LiveProgress start(PrintStream out, boolean terminal) {
    PEAK.clear();
    LiveProgress p = new LiveProgress(out, terminal);
    p.thread.start();
    return p;
  }

  private void loop() {
    long t0 = System.nanoTime();
    long lastCount = -1;
    long lastChange = System.nanoTime();
    while (!stop) {
      try {
        Thread.sleep(2000);
      } catch (InterruptedException e) {
        return;
      }
      long in = sum("in", IN);
      long checkpoints = checkpoints();
      if (checkpoints != lastCount) {
        lastCount = checkpoints;
        lastChange = System.nanoTime();
      }
      double secs = (System.nanoTime() - t0) / 1e9;
      String line =
          String.format(
              "in %,d | kept %,d | rejected %,d | dead-lettered %,d | %,.0f docs/s | checkpoints %d%s",
              in,
              sum("kept", KEPT),
              sum("rejected", REJECTED),
              sum("dead", DEAD),
              in / Math.max(secs, 1e-9),
              Math.max(checkpoints, 0),
              checkpoints > 0
                  ? String.format(", last %.0f s ago", (System.nanoTime() - lastChange) / 1e9)
                  : "");
      out.print(terminal ? "\r" + line + "   " : line + System.lineSeparator());
      out.flush();
    }
  }

  /** The counts as the running job's metrics have them now. */
  record Totals(long in, long kept, long rejected, long deadLettered, long checkpoints) {}

  /** What the metrics say now (all zero when no job runs). */
  static Totals current() {
    return new Totals(
        sum("in", IN),
        sum("kept", KEPT),
        sum("rejected", REJECTED),
        sum("dead", DEAD),
        Math.max(checkpoints(), 0));
  }

  private static long sum(String name, Set<Counter> counters) {
    long n = 0;
    for (Counter c : counters) {
      n += c.getCount();
    }
    return PEAK.merge(name, n, Math::max);
  }

  private static long checkpoints() {
    long n = -1;
    for (Metric m : CHECKPOINTS.keySet()) {
      if (m instanceof Gauge<?> g && g.getValue() instanceof Number v) {
        n = Math.max(n, v.longValue());
      }
    }
    return n;
  }

  @Override
  public void close() {
    stop = true;
    thread.interrupt();
    if (terminal) {
      out.println();
    }
  }

  /** The reporter Flink instantiates from {@link #report}'s setting. */
  public static final class Factory implements MetricReporterFactory {
    @Override
    public MetricReporter createMetricReporter(java.util.Properties properties) {
      return new Reporter();
    }
  }

  /** Holds the metrics the progress line reads, as Flink adds and removes them. */
  static final class Reporter implements MetricReporter {
    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
      Set<Counter> target = target(name, group);
      if (target != null && metric instanceof Counter c) {
        target.add(c);
      } else if (name.equals("numberOfCompletedCheckpoints")) {
        CHECKPOINTS.put(metric, true);
      }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
      Set<Counter> target = target(name, group);
      if (target != null) {
        target.remove(metric);
      }
      CHECKPOINTS.remove(metric);
    }

    private static Set<Counter> target(String name, MetricGroup group) {
      String[] scope = group.getScopeComponents();
      if (scope.length == 0 || !scope[scope.length - 1].equals("winnow")) {
        return null;
      }
      return switch (name) {
        case "in" -> IN;
        case "curated" -> KEPT;
        case "rejected" -> REJECTED;
        case "deadletter" -> DEAD;
        default -> null;
      };
    }
  }
}
