package dev.winnow.jobs.curation.files;

import dev.winnow.jobs.curation.CurationSummary;
import java.util.List;
import java.util.Map;

/**
 * A finished file run: the job's counters, what the committed part files hold (counted by reading
 * them back), and whether the accounting is exact: every entry read ({@code in}) is in exactly one
 * of {@code curated/}, {@code rejected/}, {@code deadletter/}, and the files agree with the job's
 * own counts.
 *
 * @param job the job's counters ({@code read} (entries read from the files), {@code curated},
 *     {@code rejected.<rule>}, …)
 * @param parts per output, its committed part files with their record counts
 */
public record FileCurationSummary(
    CurationSummary job, Map<String, List<OutputDirectory.Part>> parts) {
  public long in() {
    return job.get("read");
  }

  /** Records in the committed part files of one output. */
  public long onDisk(String output) {
    return parts.getOrDefault(output, List.of()).stream()
        .mapToLong(OutputDirectory.Part::records)
        .sum();
  }

  public long out() {
    return onDisk("curated") + onDisk("rejected") + onDisk("deadletter");
  }

  /** in = kept + rejected + dead-lettered on disk, and the files hold what the job counted. */
  public boolean exact() {
    return in() == out()
        && onDisk("curated") == job.get("curated")
        && onDisk("rejected") == job.get("rejected")
        && onDisk("deadletter") == job.get("deadletter");
  }

  /** The run as the demo prints it, counted on the output files. */
  public String table() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("%-42s %10s%n", "documents (counted in the output files)", "count"));
    sb.append(String.format("%-42s %,10d%n", "in (entries read from the inputs)", in()));
    sb.append(String.format("%-42s %,10d%n", "kept -> curated/", onDisk("curated")));
    sb.append(String.format("%-42s %,10d%n", "rejected -> rejected/", onDisk("rejected")));
    job.counters()
        .forEach(
            (k, v) -> {
              if (k.startsWith("rejected.")) {
                sb.append(String.format("    %-38s %,10d%n", k.substring("rejected.".length()), v));
              }
            });
    sb.append(String.format("%-42s %,10d%n", "dead-lettered -> deadletter/", onDisk("deadletter")));
    sb.append(String.format("%-42s %,10d%n", "out (kept + rejected + dead-lettered)", out()));
    sb.append(
        exact()
            ? String.format("accounting exact: in = kept + rejected + dead-lettered%n")
            : String.format(
                "ACCOUNTING MISMATCH: in %,d, out %,d; job counted curated %,d, rejected %,d,"
                    + " dead-lettered %,d%n",
                in(), out(), job.get("curated"), job.get("rejected"), job.get("deadletter")));
    sb.append(
        String.format(
            "job time %.1f s, %,.0f docs/s (MiniCluster start-up included)%n",
            job.seconds(), job.seconds() > 0 ? in() / job.seconds() : 0));
    return sb.toString();
  }
}
