package dev.winnow.bench.curation;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a JVM's CPU time went, by curation stage, from a Java Flight Recorder file: each execution
 * sample (a thread caught running Java code) is given to the first stage that one of its frames
 * belongs to, walking from the innermost frame outwards, so that a record's serialization inside a
 * stage's {@code collect} counts as serialization, and Jackson inside decode counts as decode. A
 * sample with a Kafka broker frame anywhere belongs to the broker (its own decompression and
 * validation included). Native samples count only where the native code computes (zstd, RocksDB);
 * the other native samples are threads waiting in the kernel.
 */
final class StageProfile {
  private StageProfile() {}

  /** A stage: a label and the class-name prefixes whose frames belong to it. */
  private record Rule(String stage, List<String> prefixes) {}

  private static final List<String> BROKER =
      List.of(
          "kafka.server.",
          "kafka.network.",
          "kafka.log.",
          "kafka.cluster.",
          "kafka.coordinator.",
          "org.apache.kafka.storage.",
          "org.apache.kafka.server.",
          "org.apache.kafka.raft.",
          "org.apache.kafka.controller.",
          "org.apache.kafka.metadata.",
          "org.apache.kafka.image.",
          "org.apache.kafka.coordinator.",
          "org.apache.kafka.network.");

  private static final List<Rule> RULES =
      List.of(
          new Rule("decode (JSON → record)", List.of("dev.winnow.jobs.common.DecodeFunction")),
          new Rule("normalize", List.of("dev.winnow.selection.normalize.")),
          new Rule("quality filters", List.of("dev.winnow.selection.quality.")),
          new Rule(
              "quality stage (rest)", List.of("dev.winnow.jobs.curation.filter.QualityFunction")),
          new Rule("exact dedup: key hash", List.of("dev.winnow.selection.dedup.ExactDedupKey")),
          new Rule(
              "exact dedup: state", List.of("dev.winnow.jobs.curation.dedup.ExactDedupFunction")),
          new Rule(
              "near dedup: shingles + MinHash",
              List.of(
                  "dev.winnow.selection.dedup.minhash.",
                  "dev.winnow.jobs.curation.dedup.NearDupSignatureFunction")),
          new Rule("near dedup: LSH buckets", List.of("dev.winnow.jobs.curation.dedup.BandBucket")),
          new Rule(
              "near dedup: sketch store",
              List.of(
                  "dev.winnow.jobs.curation.dedup.SketchStore",
                  "dev.winnow.selection.dedup.OnePermutation")),
          new Rule("near dedup: decide", List.of("dev.winnow.jobs.curation.dedup.NearDupDecision")),
          new Rule(
              "Flink record serialization (between operators)",
              List.of(
                  "org.apache.flink.api.common.typeutils.",
                  "org.apache.flink.api.java.typeutils.",
                  "com.esotericsoftware.kryo.",
                  "org.apache.flink.core.memory.")),
          new Rule(
              "output records → Kafka bytes (our serializers)",
              List.of(
                  "dev.winnow.jobs.kafka.Curated",
                  "dev.winnow.jobs.kafka.Rejected",
                  "dev.winnow.jobs.kafka.DeadLetter")),
          new Rule(
              "Kafka source (consumer, fetch, records)",
              List.of(
                  "org.apache.kafka.clients.consumer.",
                  "org.apache.flink.connector.kafka.source.",
                  "dev.winnow.jobs.kafka.")),
          new Rule(
              "Kafka sinks (producer, transactions)",
              List.of(
                  "org.apache.kafka.clients.producer.", "org.apache.flink.connector.kafka.sink.")),
          new Rule(
              "Kafka client (compression, network)",
              List.of("org.apache.kafka.", "com.github.luben.zstd.")),
          new Rule(
              "counting",
              List.of("dev.winnow.jobs.common.Count", "dev.winnow.jobs.common.RejectedCount")),
          new Rule(
              "state backend + checkpoints",
              List.of(
                  "org.rocksdb.",
                  "org.apache.flink.contrib.streaming.state.",
                  "org.apache.flink.state.",
                  "org.apache.flink.runtime.state.",
                  "org.apache.flink.runtime.checkpoint.")),
          new Rule("Flink network stack", List.of("org.apache.flink.runtime.io.network.")),
          new Rule(
              "Flink task runtime (mailbox, operator chains)",
              List.of("org.apache.flink.streaming.", "org.apache.flink.runtime.")));

  /** Samples per stage (insertion order = the rules' order, then "other"), and the total. */
  static Map<String, Long> read(Path jfr) throws IOException {
    Map<String, Long> counts = new LinkedHashMap<>();
    readByThread(jfr).values().forEach(m -> m.forEach((k, v) -> counts.merge(k, v, Long::sum)));
    return counts;
  }

  /**
   * Samples per stage for each thread, by the first 15 characters of the thread's name (what Linux
   * keeps of it in {@code /proc/<pid>/task/<tid>/comm}, so that {@link ThreadCpu}'s CPU seconds per
   * thread can be split by these shares: JFR's sampler visits threads unevenly, so shares across
   * threads would be biased, while shares within one thread are not).
   */
  static Map<String, Map<String, Long>> readByThread(Path jfr) throws IOException {
    Map<String, Map<String, Long>> out = new TreeMap<>();
    for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
      String type = e.getEventType().getName();
      boolean nativeSample = "jdk.NativeMethodSample".equals(type);
      if (!"jdk.ExecutionSample".equals(type) && !nativeSample) {
        continue;
      }
      RecordedStackTrace st = e.getStackTrace();
      if (st == null) {
        continue;
      }
      List<RecordedFrame> frames = st.getFrames();
      if (nativeSample && !computesNatively(frames)) {
        continue;
      }
      String thread =
          e.getThread("sampledThread") == null ? "?" : e.getThread("sampledThread").getJavaName();
      String key = thread == null ? "?" : thread.substring(0, Math.min(15, thread.length())).trim();
      out.computeIfAbsent(key, k -> new LinkedHashMap<>()).merge(stageOf(frames), 1L, Long::sum);
    }
    return out;
  }

  private static boolean computesNatively(List<RecordedFrame> frames) {
    if (frames.isEmpty()) {
      return false;
    }
    String leaf = frames.get(0).getMethod().getType().getName();
    return leaf.startsWith("com.github.luben.zstd.") || leaf.startsWith("org.rocksdb.");
  }

  private static String stageOf(List<RecordedFrame> frames) {
    for (RecordedFrame f : frames) {
      String c = f.getMethod().getType().getName();
      for (String p : BROKER) {
        if (c.startsWith(p)) {
          return "Kafka broker (in this JVM)";
        }
      }
    }
    for (RecordedFrame f : frames) {
      String c = f.getMethod().getType().getName();
      for (Rule r : RULES) {
        for (String p : r.prefixes()) {
          if (c.startsWith(p)) {
            return r.stage();
          }
        }
      }
    }
    return "other (JDK, JIT-compiled glue, logging)";
  }

  /** The top frames' classes of the "other" samples, to refine the rules. */
  static Map<String, Long> unattributed(Path jfr, int depth) throws IOException {
    Map<String, Long> out = new TreeMap<>();
    for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
      if (!"jdk.ExecutionSample".equals(e.getEventType().getName()) || e.getStackTrace() == null) {
        continue;
      }
      List<RecordedFrame> frames = e.getStackTrace().getFrames();
      if (!stageOf(frames).startsWith("other")) {
        continue;
      }
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < Math.min(depth, frames.size()); i++) {
        RecordedFrame f = frames.get(i);
        sb.append(i == 0 ? "" : " < ")
            .append(f.getMethod().getType().getName())
            .append('.')
            .append(f.getMethod().getName());
      }
      out.merge(sb.toString(), 1L, Long::sum);
    }
    return out;
  }
}
