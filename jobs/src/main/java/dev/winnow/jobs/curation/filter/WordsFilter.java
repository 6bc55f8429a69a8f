package dev.winnow.jobs.curation.filter;

import dev.winnow.ingest.serde.DocumentJson;
import dev.winnow.jobs.common.DocRecord;
import dev.winnow.jobs.common.RejectedRecord;
import dev.winnow.selection.blocklist.WordBlocklist;

/**
 * The {@code words} stage ({@link WordsFilterSection}): rule {@code blocked_words}, the share of
 * listed words as the value, {@code "> maxFraction"} as the threshold, the first listed word found
 * in the rejection.
 */
public final class WordsFilter implements DocumentFilter {
  private static final long serialVersionUID = 1L;
  private final WordsFilterSection section;
  private transient WordBlocklist list;

  public WordsFilter(WordsFilterSection section) {
    ListFiles.check("words.file", section.file);
    this.section = section;
  }

  @Override
  public String stage() {
    return "words";
  }

  @Override
  public void open() {
    if (list == null) {
      list = new WordBlocklist(ListFiles.lines(section.file));
    }
  }

  @Override
  public RejectedRecord apply(DocRecord d) {
    open();
    var share = list.measure(d.text);
    if (share.blocked() == 0 || share.fraction() <= section.maxFraction) {
      return null;
    }
    RejectedRecord r =
        RejectedRecord.of(
            d,
            "words",
            "words",
            "blocked_words",
            share.fraction(),
            "> " + section.maxFraction,
            null);
    var o = DocumentJson.mapper().createObjectNode();
    o.put("word", share.first());
    r.details = o.toString();
    return r;
  }
}
