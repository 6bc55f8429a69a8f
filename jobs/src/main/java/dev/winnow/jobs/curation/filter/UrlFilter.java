package dev.winnow.jobs.curation.filter;

import dev.winnow.ingest.serde.DocumentJson;
import dev.winnow.jobs.common.Annotations;
import dev.winnow.jobs.common.DocRecord;
import dev.winnow.jobs.common.RejectedRecord;
import dev.winnow.selection.blocklist.UrlBlocklist;

/**
 * The {@code url} stage ({@link UrlFilterSection}): rejects with rule {@code url_domain} or {@code
 * url_word}, the matched domain or word and the URL in the rejection.
 */
public final class UrlFilter implements DocumentFilter {
  private static final long serialVersionUID = 1L;
  private final UrlFilterSection section;
  private transient UrlBlocklist list;

  public UrlFilter(UrlFilterSection section) {
    ListFiles.check("url.domainsFile", section.domainsFile);
    ListFiles.check("url.wordsFile", section.wordsFile);
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
              ListFiles.lines(section.domainsFile), ListFiles.lines(section.wordsFile));
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
    RejectedRecord r =
        RejectedRecord.of(
            d,
            "url",
            "url",
            block.get().rule(),
            1,
            block.get().rule().equals("url_domain")
                ? "domain on the blocklist"
                : "word on the blocklist",
            null);
    r.valueText = block.get().match();
    var o = DocumentJson.mapper().createObjectNode();
    o.put("url", url.asText());
    r.details = o.toString();
    return r;
  }
}
