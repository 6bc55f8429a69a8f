package dev.winnow.jobs.curation;

import java.util.Map;

/**
 * Counters of one finished curation run (from Flink accumulators) and its wall time. Counter names:
 * {@code curated}, {@code rejected}, {@code deadletter}, {@code rejected.<rule>} per rule (all
 * counted just before the sinks, exact across failovers), {@code in} (counted at decode: a
 * monitoring figure that can fall short after a failover in a bounded run), the near-dedup stage's
 * {@code near_dedup_*} figures, and with a reference set {@code reference_docs}, {@code
 * reference_undecodable}, {@code exact_dedup_reference_keys}, {@code near_dedup_reference_docs} and
 * {@code near_dedup_reference_bytes}.
 */
public record CurationSummary(Map<String, Long> counters, double seconds) {
  public long get(String name) {
    return counters.getOrDefault(name, 0L);
  }

  /** A plain-text table of the run. */
  public String table() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("%-40s %10s%n", "documents", "count"));
    sb.append(String.format("%-40s %,10d%n", "kept (curated)", get("curated")));
    sb.append(String.format("%-40s %,10d%n", "rejected", get("rejected")));
    counters.forEach(
        (k, v) -> {
          if (k.startsWith("rejected.")) {
            sb.append(String.format("  %-38s %,10d%n", k.substring("rejected.".length()), v));
          }
        });
    sb.append(String.format("%-40s %,10d%n", "dead-lettered", get("deadletter")));
    long out = get("curated") + get("rejected") + get("deadletter");
    sb.append(String.format("%-40s %,10d%n", "total (every input record once)", out));
    counters.forEach(
        (k, v) -> {
          if (k.startsWith("near_dedup_")
              || k.startsWith("exact_dedup_")
              || k.startsWith("reference_")) {
            sb.append(String.format("%-40s %,10d%n", k, v));
          }
        });
    sb.append(
        String.format("job time %.1f s, %,.0f docs/s%n", seconds, seconds > 0 ? out / seconds : 0));
    return sb.toString();
  }
}
