package dev.winnow.jobs.curation;

import java.util.Arrays;

/**
 * The checks the jobs' configurations make, each throwing an {@link IllegalArgumentException} that names the field,
 * the value and the rule: {@code <lead><field>: <rule>}.
 */
public final class ConfigChecks {
  private final String lead;

  /** @param lead how every message starts, e.g. {@code "illegal config value for "} */
  public ConfigChecks(String lead) {
    this.lead = lead;
  }

  public void require(boolean ok, String field, String rule) {
    if (!ok) {
      throw new IllegalArgumentException(lead + field + ": " + rule);
    }
  }

  public void nonBlank(String field, String v) {
    require(v != null && !v.isBlank(), field, "must be a non-blank string, got " + (v == null ? "null" : "\"" + v + "\""));
  }

  public void range(String field, long v, long min, long max) {
    require(v >= min && v <= max, field, "value " + v + " must be in [" + min + ", " + max + "]");
  }

  public void oneOf(String field, String v, String... allowed) {
    require(v != null && Arrays.asList(allowed).contains(v), field,
        "value " + (v == null ? "null" : "\"" + v + "\"") + " must be one of " + String.join(", ", allowed));
  }
}
