package dev.winnow.prompt.pool;

import dev.winnow.prompt.InvalidRequestException;
import java.util.Locale;

/**
 * The order of the selected demonstrations in a prompt. Liu et al. (KATE) found that putting the
 * most similar example last, nearest the query, works best, so that is the default.
 */
public enum DemonstrationOrder {
  MOST_SIMILAR_LAST,
  MOST_SIMILAR_FIRST;

  public static DemonstrationOrder parse(String field, String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new InvalidRequestException(
          field, "illegal value \"" + name + "\": must be most_similar_last or most_similar_first");
    }
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
