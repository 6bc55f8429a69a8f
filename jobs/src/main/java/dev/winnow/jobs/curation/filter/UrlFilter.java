package dev.winnow.jobs.curation.filter;

import dev.winnow.ingest.serde.DocumentJson;
import dev.winnow.jobs.common.Annotations;
import dev.winnow.jobs.common.DocRecord;
import dev.winnow.jobs.common.RejectedRecord;
import dev.winnow.selection.blocklist.UrlBlocklist;

/**
 * The {@code url} stage ({@link UrlFilterSection}): rejects with rule {@code url_domain} or {@code
 * url_word} (the matched domain or word as the value) or {@code url_soft_words} (the number of
 * distinct soft words as the value, the words beside the URL in the rejection's details).
 */
public final class UrlFilter implements DocumentFilter {
  private static final long serialVersionUID = 1L;
  private final UrlFilterSection section;
  private transient UrlBlocklist list;

  public UrlFilter(UrlFilterSection section) {
    ListFiles.check("url.domainsFile", section.domainsFile);
    ListFiles.check("url.wordsFile", section.wordsFile);
    ListFiles.check("url.softWordsFile", section.softWordsFile);
    this.section = section;
  }

  @Override
  public String stage() {
    return "url";
  }

  @Override
  public void open() {
    if (list == null) {
      list =
          new UrlBlocklist(
              ListFiles.lines(section.domainsFile),
              ListFiles.lines(section.wordsFile),
              ListFiles.lines(section.softWordsFile),
              section.softWordThreshold);
    }
  }

  @Override
  public RejectedRecord apply(DocRecord d) {
    open();
    var url = Annotations.at(d, "meta." + section.urlField);
    if (!url.isTextual()) {
      return null;
    }
    var block = list.check(url.asText());
    if (block.isEmpty()) {
      return null;
    }
    var b = block.get();
    boolean soft = b.rule().equals("url_soft_words");
    RejectedRecord r =
        RejectedRecord.of(
            d,
            "url",
            "url",
            b.rule(),
            b.count(),
            switch (b.rule()) {
              case "url_domain" -> "domain on the blocklist";
              case "url_soft_words" -> ">= " + list.softThreshold() + " soft-banned words";
              default -> "word on the blocklist";
            },
            null);
    if (!soft) {
      r.valueText = b.match();
    }
    var o = DocumentJson.mapper().createObjectNode();
    o.put("url", url.asText());
    if (soft) {
      o.put("words", b.match());
    }
    r.details = o.toString();
    return r;
  }
}
