package dev.winnow.selection.quality;

import java.io.Serializable;

/**
 * Why a quality filter dropped a document.
 *
 * @param filter the filter's {@link QualityFilter#name()}, e.g. {@code "gopher_quality"}
 * @param rule the stable snake_case rule name, datatrove's reason string where it has one, e.g.
 *     {@code "gopher_short_doc"}
 * @param value the measured value that broke the rule (a count or a ratio)
 * @param threshold the bound it broke, human-readable, e.g. {@code "< 50"} or {@code "> 0.1"}
 */
public record Rejection(String filter, String rule, double value, String threshold)
    implements Serializable {

  public Rejection {
    if (filter == null || filter.isBlank()) {
      throw new IllegalArgumentException("rejection filter name must not be blank");
    }
    if (rule == null || rule.isBlank()) {
      throw new IllegalArgumentException(
          "rejection rule name must not be blank (filter " + filter + ")");
    }
    if (threshold == null) {
      throw new IllegalArgumentException(
          "rejection threshold must not be null (rule " + rule + ")");
    }
  }
}
