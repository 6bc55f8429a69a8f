package dev.winnow.bench.curation;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time per thread of a process, from {@code /proc/<pid>/task/<tid>/stat} and {@code comm},
 * sampled every call of {@link #poll()} (threads that end keep their last figure), then grouped by
 * thread name: the JIT compilers and the garbage collector count here, which a Java profiler does
 * not see. Linux only; elsewhere it reports nothing.
 */
final class ThreadCpu {
  private final String pid;
  private final Map<String, String> names = new HashMap<>();
  private final Map<String, Long> start = new HashMap<>();
  private final Map<String, Long> last = new HashMap<>();

  ThreadCpu(long pid) {
    this.pid = Long.toString(pid);
    read(start);
  }

  static ThreadCpu self() {
    return new ThreadCpu(ProcessHandle.current().pid());
  }

  /** Records every live thread's CPU time so far. */
  void poll() {
    read(last);
  }

  private void read(Map<String, Long> into) {
    Path tasks = Path.of("/proc", pid, "task");
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(tasks)) {
      for (Path t : ds) {
        try {
          String stat = Files.readString(t.resolve("stat"));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
          String tid = t.getFileName().toString();
          into.put(tid, ticks);
          names.computeIfAbsent(tid, k -> comm(t));
        } catch (IOException | RuntimeException ignored) {
          // the thread ended between listing and reading
        }
      }
    } catch (IOException ignored) {
      // no /proc, or the process ended
    }
  }

  private static String comm(Path task) {
    try {
      return Files.readString(task.resolve("comm")).trim();
    } catch (IOException e) {
      return "?";
    }
  }

  /** Thread groups: a label and the name prefixes (Linux keeps 15 characters of a name). */
  private static final List<Map.Entry<String, List<String>>> GROUPS =
      List.of(
          Map.entry("JIT compilers", List.of("C1 CompilerThre", "C2 CompilerThre")),
          Map.entry("garbage collector", List.of("GC Thread", "G1 ", "VM Thread")),
          Map.entry(
              "Kafka broker",
              List.of(
                  "data-plane-kafk",
                  "kafka-",
                  "broker-",
                  "controller-",
                  "quorum-",
                  "raft-",
                  "LogDirFailureH",
                  "group-coordina",
                  "transaction-",
                  "ExpirationReap",
                  "ReplicaFetcher",
                  "executor-",
                  "ThrottledChann",
                  "TxnMarkerSende",
                  "share-coordina",
                  "AddPartitionsT")),
          Map.entry("Kafka consumer (source fetchers)", List.of("Source Data Fet")),
          Map.entry("Kafka producers (sinks, publisher)", List.of("kafka-producer-")),
          Map.entry(
              "Flink task threads (the job's operators)",
              List.of(
                  "Source: ",
                  "decode",
                  "normalize",
                  "exact dedup",
                  "near dedup",
                  "count ",
                  "write ",
                  "Sink",
                  "Writer",
                  "injected")),
          Map.entry(
              "Flink runtime (RPC, checkpoints, REST)",
              List.of("flink-", "pekko", "Flink", "jobmanager", "Checkpoint", "AsyncOper")));

  /** CPU seconds since construction by thread group (ticks of 10 ms), largest first. */
  Map<String, Double> byGroup() {
    poll();
    Map<String, Double> out = new LinkedHashMap<>();
    for (var e : last.entrySet()) {
      long ticks = e.getValue() - start.getOrDefault(e.getKey(), 0L);
      if (ticks <= 0) {
        continue;
      }
      out.merge(group(names.getOrDefault(e.getKey(), "?")), ticks / 100.0, Double::sum);
    }
    Map<String, Double> sorted = new LinkedHashMap<>();
    out.entrySet().stream()
        .sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
        .forEach(e -> sorted.put(e.getKey(), e.getValue()));
    return sorted;
  }

  /** CPU seconds per thread name (for refining the groups). */
  Map<String, Double> byName() {
    poll();
    Map<String, Double> out = new HashMap<>();
    for (var e : last.entrySet()) {
      long ticks = e.getValue() - start.getOrDefault(e.getKey(), 0L);
      if (ticks > 0) {
        out.merge(names.getOrDefault(e.getKey(), "?"), ticks / 100.0, Double::sum);
      }
    }
    return out;
  }

  /** The thread group of a thread name. */
  static String group(String name) {
    if (name.startsWith("kafka-producer-")) {
      return "Kafka producers (sinks, publisher)";
    }
    for (var g : GROUPS) {
      for (String p : g.getValue()) {
        if (name.startsWith(p)) {
          return g.getKey();
        }
      }
    }
    return "other threads";
  }
}
