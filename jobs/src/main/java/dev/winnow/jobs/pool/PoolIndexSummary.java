package dev.winnow.jobs.pool;

import java.util.Locale;
import java.util.Map;

/**
 * A finished (bounded) pool-indexing run: counters from Flink accumulators ({@code upserted} and
 * {@code deleted} counted at the writer, {@code deadletter} before the dead-letter sink, all exact
 * across failovers; {@code in} counted at parsing, a monitoring figure), the pool's size afterwards
 * and the wall time.
 */
public record PoolIndexSummary(
    String pool, Map<String, Long> counters, int poolSize, double seconds) {
  public long get(String name) {
    return counters.getOrDefault(name, 0L);
  }

  public String table() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%-40s %10s%n", "records", "count"));
    sb.append(
        String.format(
            Locale.ROOT, "%-40s %,10d%n", "upserted (added or replaced)", get("upserted")));
    sb.append(String.format(Locale.ROOT, "%-40s %,10d%n", "deleted (tombstones)", get("deleted")));
    sb.append(
        String.format(
            Locale.ROOT, "%-40s %,10d%n", "dead-lettered (malformed)", get("deadletter")));
    sb.append(
        String.format(
            Locale.ROOT,
            "pool %s: %,d demonstrations; job time %.1f s%n",
            pool,
            poolSize,
            seconds));
    return sb.toString();
  }
}
