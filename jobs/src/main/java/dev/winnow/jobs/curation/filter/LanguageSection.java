package dev.winnow.jobs.curation.filter;

import static dev.winnow.jobs.config.ConfigChecks.CHECK;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Language identification: {@code meta.winnow.language = {lang, score}} on every document, and,
 * when {@link #languages} is not empty, the {@code language} filter: a document whose language is
 * not listed, or is listed with a score below {@link #minScore}, is rejected with rule {@code
 * language}, the detected language as the value and its score beside it.
 */
public class LanguageSection implements Serializable {
  private static final long serialVersionUID = 1L;
  public boolean enabled = false;

  /** Languages to keep (ISO 639-1, else 639-3 codes); empty = annotate only, reject nothing. */
  public List<String> languages = new ArrayList<>();

  /** Lowest score a kept document's language may have (datatrove's default 0.65). */
  public double minScore = 0.65;

  /** Characters read from the start of each document (the rest does not change the answer much). */
  public int maxChars = 500;

  /** A model file written by {@code winnow langid train}; null = the built-in model. */
  public String model = null;

  public void validate(String path) {
    CHECK.require(languages != null, path + ".languages", "must be a list (may be empty)");
    for (int i = 0; i < languages.size(); i++) {
      String l = languages.get(i);
      CHECK.require(
          l != null && l.matches("[a-z]{2,3}"),
          path + ".languages[" + i + "]",
          "\"" + l + "\" must be an ISO 639-1 or 639-3 code in lower case (e.g. en, de, ast)");
    }
    CHECK.require(
        minScore >= 0 && minScore <= 1,
        path + ".minScore",
        "value " + minScore + " must be in [0, 1]");
    CHECK.range(path + ".maxChars", maxChars, 16, 1_000_000);
    CHECK.require(
        model == null || !model.isBlank(),
        path + ".model",
        "must be null (the built-in model) or the path of a `winnow langid train` model file");
  }
}
