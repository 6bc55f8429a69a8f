package dev.winnow.ingest.publish;

/**
 * What one {@link Publisher} run did.
 *
 * @param entriesRead input entries read in this run (lines and text files, after any skipped on
 *     resume)
 * @param skippedOnResume entries skipped because an earlier run had committed them
 * @param published documents committed to the topic in this run
 * @param malformed entries that were not documents (bad JSON, missing text, invalid UTF-8, ...)
 * @param oversized documents over the record size limit
 * @param bytesPublished serialized bytes of the published documents
 * @param seconds wall time of the run
 */
public record PublishSummary(
    long entriesRead,
    long skippedOnResume,
    long published,
    long malformed,
    long oversized,
    long bytesPublished,
    double seconds) {
  public double docsPerSecond() {
    return seconds > 0 ? published / seconds : 0;
  }

  public double megabytesPerSecond() {
    return seconds > 0 ? bytesPublished / 1e6 / seconds : 0;
  }

  @Override
  public String toString() {
    return String.format(
        "read %,d entries (%,d skipped on resume): published %,d, malformed %,d, oversized %,d; "
            + "%.1f MB in %.1f s (%,.0f docs/s, %.1f MB/s)",
        entriesRead,
        skippedOnResume,
        published,
        malformed,
        oversized,
        bytesPublished / 1e6,
        seconds,
        docsPerSecond(),
        megabytesPerSecond());
  }
}
