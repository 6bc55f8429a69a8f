package dev.winnow.jobs.curation.filter;

import dev.winnow.jobs.common.Annotations;
import dev.winnow.jobs.common.DocRecord;
import dev.winnow.jobs.common.RejectedRecord;
import dev.winnow.selection.langid.LanguageGuess;
import dev.winnow.selection.langid.LanguageIdentifier;
import dev.winnow.selection.langid.LanguageModels;
import java.util.List;
import java.util.Set;

/**
 * The {@code language} stage ({@link LanguageSection}): detects the language of the first {@code
 * maxChars} characters, writes {@code meta.winnow.language = {lang, score}}, and rejects a document
 * whose language is not kept (rule {@code language}, value = the language, score beside it,
 * threshold e.g. {@code "in [en, de] with score >= 0.65"}).
 */
public final class LanguageFilter implements DocumentFilter {
  private static final long serialVersionUID = 1L;
  public static final String STAGE = "language";
  private final LanguageSection section;
  private final Set<String> keep;
  private final String threshold;
  private transient LanguageIdentifier identifier;

  public LanguageFilter(LanguageSection section) {
    this.section = section;
    this.keep = Set.copyOf(section.languages);
    this.threshold = "in " + List.copyOf(section.languages) + " with score >= " + section.minScore;
  }

  @Override
  public String stage() {
    return STAGE;
  }

  @Override
  public void open() {
    LanguageIdentifier id = LanguageModels.load(section.model);
    for (String l : section.languages) {
      if (!id.languages().contains(l)) {
        throw new IllegalArgumentException(
            "language.languages: \""
                + l
                + "\" is not a language of the "
                + (section.model == null ? "built-in model" : "model " + section.model)
                + ", so no document would ever be kept for it; `winnow langid --list` prints the"
                + " model's codes"
                + (l.equals("id") ? " (the built-in model answers Indonesian text ms)" : ""));
      }
    }
    identifier = id;
  }

  /** The languages the model knows (for {@code winnow langid --list}). */
  public List<String> languages() {
    if (identifier == null) {
      open();
    }
    return identifier.languages();
  }

  @Override
  public RejectedRecord apply(DocRecord d) {
    if (identifier == null) {
      open();
    }
    LanguageGuess g = identifier.detect(d.text, section.maxChars);
    d.annotations =
        Annotations.with(
            d.annotations,
            "language",
            o -> {
              o.put("lang", g.lang());
              o.put("score", Math.round(g.score() * 1e4) / 1e4);
            });
    if (keep.isEmpty() || (keep.contains(g.lang()) && g.score() >= section.minScore)) {
      return null;
    }
    RejectedRecord r = RejectedRecord.of(d, STAGE, STAGE, STAGE, g.score(), threshold, null);
    r.valueText = g.lang();
    return r;
  }
}
