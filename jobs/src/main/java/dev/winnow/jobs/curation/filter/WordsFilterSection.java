package dev.winnow.jobs.curation.filter;

import static dev.winnow.jobs.config.ConfigChecks.CHECK;

import java.io.Serializable;

/**
 * The word-list filter (C4's bad-words rule, with the user's list): documents in which more than
 * {@link #maxFraction} of the words are listed are rejected with rule {@code blocked_words}.
 */
public class WordsFilterSection implements Serializable {
  private static final long serialVersionUID = 1L;
  public boolean enabled = false;

  /** The word list, one word or phrase a line; required when enabled. */
  public String file = null;

  /** Largest kept share of listed words; 0 = any listed word rejects (C4). */
  public double maxFraction = 0.0;

  public void validate(String path) {
    CHECK.require(
        !enabled || (file != null && !file.isBlank()),
        path + ".file",
        "required when " + path + ".enabled is true: a word list file, one entry a line");
    CHECK.require(
        maxFraction >= 0 && maxFraction < 1,
        path + ".maxFraction",
        "value " + maxFraction + " must be in [0, 1)");
  }
}
