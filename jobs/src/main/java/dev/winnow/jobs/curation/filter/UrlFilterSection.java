package dev.winnow.jobs.curation.filter;

import static dev.winnow.jobs.config.ConfigChecks.CHECK;

import java.io.Serializable;

/**
 * The URL filter (datatrove's, with the user's lists): documents whose {@code meta.<urlField>} has
 * a blocked domain or parent domain (rule {@code url_domain}), a banned word (rule {@code
 * url_word}) or at least {@code softWordThreshold} soft-banned words (rule {@code url_soft_words})
 * are rejected. Documents without the URL pass. Lists are files, one entry a line.
 */
public class UrlFilterSection implements Serializable {
  private static final long serialVersionUID = 1L;
  public boolean enabled = false;

  /** Blocked domains, one a line ({@code example.com} blocks its subdomains too); null = none. */
  public String domainsFile = null;

  /** Words banned in URLs, one a line; null = none. */
  public String wordsFile = null;

  /**
   * Soft-banned URL words, one a line (datatrove's {@code soft_banned_words}): a URL with at least
   * {@code softWordThreshold} distinct ones is rejected (rule {@code url_soft_words}); null = none.
   */
  public String softWordsFile = null;

  /** Distinct soft words that block a URL (datatrove's {@code soft_word_threshold}). */
  public int softWordThreshold = dev.winnow.selection.blocklist.UrlBlocklist.DEFAULT_SOFT_THRESHOLD;

  /** The key of the document's meta holding the URL. */
  public String urlField = "url";

  public void validate(String path) {
    CHECK.nonBlank(path + ".urlField", urlField);
    CHECK.require(
        softWordThreshold >= 1,
        path + ".softWordThreshold",
        "must be at least 1 (datatrove's default is 2), got " + softWordThreshold);
    CHECK.require(
        !enabled || domainsFile != null || wordsFile != null || softWordsFile != null,
        path,
        "enabled without a list: set domainsFile, wordsFile and/or softWordsFile");
  }
}
