package dev.winnow.jobs.curation.dedup;

import dev.winnow.selection.normalize.TextNormalizer;
import dev.winnow.selection.quality.C4QualityConfig;
import dev.winnow.selection.quality.C4QualityFilter;
import dev.winnow.selection.quality.FilterOutcome;
import dev.winnow.selection.quality.TextView;
import java.io.Serializable;

/**
 * Prepares a reference document's text the way the job prepares a live document's text before the
 * dedup stages: normalization (when {@code normalize.enabled}) and C4's line removal (when {@code
 * quality.c4.enabled}), so an exact copy of a reference document gets the same exact-dedup key and
 * the same shingles. Both steps are idempotent, so a reference read back from an earlier {@code
 * curated} topic (already prepared) comes out unchanged. Reference documents are not judged by the
 * quality filters: if C4 would reject one as a whole, its normalized text is used.
 */
public final class ReferenceText implements Serializable {
  private static final long serialVersionUID = 1L;
  private final boolean normalize;
  private final C4QualityConfig c4;
  private transient TextNormalizer normalizer;
  private transient C4QualityFilter c4Filter;

  /**
   * The text preparation of the live path: NFC normalization when on, then C4 line cleaning when
   * that filter is on.
   */
  public ReferenceText(boolean normalize, C4QualityConfig c4) {
    this.normalize = normalize;
    this.c4 = c4 != null && c4.enabled ? c4 : null;
  }

  String prepare(String text) {
    String t = text == null ? "" : text;
    if (normalize) {
      if (normalizer == null) {
        normalizer = new TextNormalizer();
      }
      t = normalizer.normalize(t);
    }
    if (c4 != null) {
      if (c4Filter == null) {
        c4Filter = new C4QualityFilter(c4);
      }
      FilterOutcome o = c4Filter.apply(new TextView(t));
      if (o instanceof FilterOutcome.Kept k) {
        t = k.text();
      }
    }
    return t;
  }
}
