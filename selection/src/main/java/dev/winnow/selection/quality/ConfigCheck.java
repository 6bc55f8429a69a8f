package dev.winnow.selection.quality;

/**
 * Range checks shared by the filter configurations. Each failure names the full field path, the bad
 * value and the allowed range, e.g. {@code "quality.gopherQuality.minDocWords = -1 is out of range:
 * must be >= 0 (0 disables the rule)"}.
 */
final class ConfigCheck {

  private ConfigCheck() {}

  static void atLeast(String path, String field, long value, long min, String note) {
    if (value < min) {
      throw bad(path, field, Long.toString(value), ">= " + min, note);
    }
  }

  static void ratio(String path, String field, double value, String note) {
    if (!(value >= 0.0 && value <= 1.0)) {
      throw bad(path, field, Double.toString(value), "in [0, 1]", note);
    }
  }

  static void nonNegativeFinite(String path, String field, double value, String note) {
    if (!(value >= 0.0 && Double.isFinite(value))) {
      throw bad(path, field, Double.toString(value), "a finite number >= 0", note);
    }
  }

  static void notNull(String path, String field, Object value) {
    if (value == null) {
      throw new IllegalArgumentException(path + "." + field + " must not be null");
    }
  }

  static String path(String path) {
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException("config path must not be blank");
    }
    return path;
  }

  static IllegalArgumentException bad(
      String path, String field, String value, String range, String note) {
    return new IllegalArgumentException(
        path
            + "."
            + field
            + " = "
            + value
            + " is out of range: must be "
            + range
            + (note == null ? "" : " (" + note + ")"));
  }
}
