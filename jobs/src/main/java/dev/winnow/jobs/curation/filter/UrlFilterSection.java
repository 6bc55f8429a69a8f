package dev.winnow.jobs.curation.filter;

import static dev.winnow.jobs.config.ConfigChecks.CHECK;

import java.io.Serializable;

/**
 * The URL filter (datatrove's, with the user's lists): documents whose {@code meta.<urlField>} has
 * a blocked domain or parent domain (rule {@code url_domain}) or a banned word (rule {@code
 * url_word}) are rejected. Documents without the URL pass. Lists are files, one entry a line.
 */
public class UrlFilterSection implements Serializable {
  private static final long serialVersionUID = 1L;
  public boolean enabled = false;

  /** Blocked domains, one a line ({@code example.com} blocks its subdomains too); null = none. */
  public String domainsFile = null;

  /** Words banned in URLs, one a line; null = none. */
  public String wordsFile = null;

  /** The key of the document's meta holding the URL. */
  public String urlField = "url";

  public void validate(String path) {
    CHECK.nonBlank(path + ".urlField", urlField);
    CHECK.require(
        !enabled || domainsFile != null || wordsFile != null,
        path,
        "enabled without a list: set domainsFile and/or wordsFile");
  }
}
