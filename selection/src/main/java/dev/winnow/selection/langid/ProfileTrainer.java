package dev.winnow.selection.langid;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds {@link LanguageProfile}s from labelled text: counts every gram ({@link GramText}) of each
 * language's texts, then prunes grams seen fewer than {@code minCount} times (langdetect's profiles
 * are pruned the same way, which keeps the model small and its floor meaningful).
 *
 * <pre>{@code
 * ProfileTrainer t = new ProfileTrainer(2);
 * t.add("en", "The quick brown fox ...");
 * t.add("de", "Der schnelle braune Fuchs ...");
 * List<LanguageProfile> profiles = t.profiles();
 * }</pre>
 */
public final class ProfileTrainer {
  private final int minCount;
  private final Map<String, Map<Long, long[]>> counts = new TreeMap<>();
  private final Map<String, long[]> totals = new HashMap<>();

  public ProfileTrainer(int minCount) {
    if (minCount < 1) {
      throw new IllegalArgumentException("illegal minCount " + minCount + ": must be >= 1");
    }
    this.minCount = minCount;
  }

  /** Counts the grams of {@code text} for language {@code lang}. */
  public void add(String lang, CharSequence text) {
    if (lang == null || lang.isBlank()) {
      throw new IllegalArgumentException("training text without a language code");
    }
    Map<Long, long[]> c = counts.computeIfAbsent(lang, k -> new HashMap<>());
    long[] t = totals.computeIfAbsent(lang, k -> new long[GramText.MAX_ORDER]);
    GramText.grams(
        text,
        Integer.MAX_VALUE,
        g -> {
          t[GramText.order(g) - 1]++;
          c.computeIfAbsent(g, k -> new long[1])[0]++;
        });
  }

  /** The languages seen so far, sorted. */
  public List<String> languages() {
    return List.copyOf(counts.keySet());
  }

  /** One profile per language seen, grams below {@code minCount} pruned. */
  public List<LanguageProfile> profiles() {
    return counts.entrySet().stream()
        .map(
            e -> {
              Map<String, Long> kept = new TreeMap<>();
              e.getValue()
                  .forEach(
                      (g, n) -> {
                        if (n[0] >= minCount) {
                          kept.put(GramText.unpack(g), n[0]);
                        }
                      });
              return new LanguageProfile(e.getKey(), totals.get(e.getKey()).clone(), kept);
            })
        .toList();
  }
}
