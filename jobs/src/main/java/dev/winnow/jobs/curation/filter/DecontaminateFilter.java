package dev.winnow.jobs.curation.filter;

import dev.winnow.ingest.serde.DocumentJson;
import dev.winnow.jobs.common.DocRecord;
import dev.winnow.jobs.common.RejectedRecord;
import dev.winnow.selection.decontam.BenchmarkIndex;

/**
 * The {@code decontaminate} stage ({@link DecontaminateSection}): rejects a document that shares an
 * n-gram with a benchmark item, with rule {@code contaminated}, the matched words as the value's
 * count, and {@code benchmark}, {@code item}, {@code ngram} in the rejection.
 */
public final class DecontaminateFilter implements DocumentFilter {
  private static final long serialVersionUID = 1L;
  public static final String STAGE = "decontaminate";
  private final DecontaminateSection section;
  private transient BenchmarkIndex index;

  /** Checks now (on the client, when the job is built) that the benchmark files exist. */
  public DecontaminateFilter(DecontaminateSection section) {
    BenchmarkFiles.check(section.benchmarks, "decontaminate.benchmarks");
    this.section = section;
  }

  @Override
  public String stage() {
    return STAGE;
  }

  @Override
  public void open() {
    if (index == null) {
      index = BenchmarkFiles.index(section.benchmarks, section.fields, section.ngram);
    }
  }

  /** The index (built on first use), for the file command's summary. */
  public BenchmarkIndex index() {
    open();
    return index;
  }

  @Override
  public RejectedRecord apply(DocRecord d) {
    open();
    var m = index.match(d.text);
    if (m.isEmpty()) {
      return null;
    }
    var match = m.get();
    RejectedRecord r =
        RejectedRecord.of(
            d,
            STAGE,
            STAGE,
            "contaminated",
            match.words(),
            match.words() < section.ngram
                ? "whole item of " + match.words() + " words shared"
                : ">= " + section.ngram + " consecutive words shared",
            null);
    var o = DocumentJson.mapper().createObjectNode();
    o.put("benchmark", match.benchmark());
    o.put("item", match.itemId());
    o.put("ngram", match.ngram());
    r.details = o.toString();
    return r;
  }
}
