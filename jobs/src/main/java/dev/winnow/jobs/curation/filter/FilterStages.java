package dev.winnow.jobs.curation.filter;

import java.util.ArrayList;
import java.util.List;

/**
 * Which of issue 17's filter stages run, in which order, from their config sections: before the
 * quality filters {@code url} then {@code language} (as datatrove's recipes: URL filter, then
 * language); after them {@code words}, {@code decontaminate}, {@code pii} (last, so the others see
 * the text as it came; dedup, after all of them, hashes the redacted text). Shared by the curation
 * job and the tests, so both build the same stages.
 */
public final class FilterStages {
  /**
   * A stage: its filter, the operator's uid (stable across releases: state and savepoints) and
   * name.
   */
  public record Stage(DocumentFilter filter, String uid, String name) {}

  private FilterStages() {}

  /** The enabled stages that run before normalization and the quality filters. */
  public static List<Stage> beforeQuality(LanguageSection language, UrlFilterSection url) {
    List<Stage> out = new ArrayList<>();
    if (url.enabled) {
      out.add(new Stage(new UrlFilter(url), "url-filter", "URL blocklist"));
    }
    if (language.enabled) {
      out.add(new Stage(new LanguageFilter(language), "language", "language identification"));
    }
    return out;
  }

  /** The enabled stages that run after the quality filters, before dedup. */
  public static List<Stage> afterQuality(
      WordsFilterSection words, DecontaminateSection decontaminate, PiiSection pii) {
    List<Stage> out = new ArrayList<>();
    if (words.enabled) {
      out.add(new Stage(new WordsFilter(words), "words-filter", "word blocklist"));
    }
    if (decontaminate.enabled) {
      out.add(
          new Stage(
              new DecontaminateFilter(decontaminate),
              "decontaminate",
              "benchmark decontamination"));
    }
    if (pii.enabled) {
      out.add(new Stage(new PiiFilter(pii), "pii", "PII redaction"));
    }
    return out;
  }
}
