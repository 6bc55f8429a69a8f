package dev.winnow.jobs.config;

import java.util.Arrays;

/**
 * The checks the jobs' configurations make, each throwing an {@link IllegalArgumentException} that
 * names the field path, the value and the rule, and where it helps what to do: {@code illegal
 * config value for <field>: <rule>}. Every job's configuration (curation, curriculum, pool
 * indexing) and every shared section checks through this class, so all of them read alike.
 */
public final class ConfigChecks {
  /** The one instance: the checks keep no state. */
  public static final ConfigChecks CHECK = new ConfigChecks();

  private static final String LEAD = "illegal config value for ";

  private ConfigChecks() {}

  public void require(boolean ok, String field, String rule) {
    if (!ok) {
      throw new IllegalArgumentException(LEAD + field + ": " + rule);
    }
  }

  public void nonBlank(String field, String v) {
    require(
        v != null && !v.isBlank(),
        field,
        "must be a non-blank string, got " + (v == null ? "null" : "\"" + v + "\""));
  }

  public void range(String field, long v, long min, long max) {
    require(v >= min && v <= max, field, "value " + v + " must be in [" + min + ", " + max + "]");
  }

  /** {@link #range(String, long, long, long)} with what to do when it is out of range. */
  public void range(String field, long v, long min, long max, String hint) {
    require(
        v >= min && v <= max,
        field,
        "value " + v + " must be in [" + min + ", " + max + "] (" + hint + ")");
  }

  /** A section that must be present (not null in the file). */
  public void present(String field, Object section) {
    require(section != null, field, "missing section");
  }

  public void oneOf(String field, String v, String... allowed) {
    require(
        v != null && Arrays.asList(allowed).contains(v),
        field,
        "value "
            + (v == null ? "null" : "\"" + v + "\"")
            + " must be one of "
            + String.join(", ", allowed));
  }
}
