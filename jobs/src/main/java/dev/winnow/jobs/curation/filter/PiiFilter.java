package dev.winnow.jobs.curation.filter;

import dev.winnow.jobs.common.Annotations;
import dev.winnow.jobs.common.DocRecord;
import dev.winnow.jobs.common.RejectedRecord;
import dev.winnow.selection.pii.PiiRedactor;

/**
 * The {@code pii} stage ({@link PiiSection}): replaces personal data in the text and writes {@code
 * meta.winnow.pii = {email: n, ip: n, ...}} (every redacted kind, zeros included). Never rejects.
 */
public final class PiiFilter implements DocumentFilter {
  private static final long serialVersionUID = 1L;
  private final PiiRedactor redactor;

  public PiiFilter(PiiSection section) {
    this.redactor = section.redactor();
  }

  @Override
  public String stage() {
    return "pii";
  }

  @Override
  public RejectedRecord apply(DocRecord d) {
    PiiRedactor.Redaction r = redactor.redact(d.text);
    d.text = r.text();
    d.annotations =
        Annotations.with(
            d.annotations, "pii", o -> r.counts().forEach((k, n) -> o.put(k.key(), n)));
    return null;
  }
}
