package dev.winnow.selection.quality;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the enabled quality filters of a {@link QualityConfig} on a document, in a fixed order, and
 * returns the first rejection or the kept (possibly C4-rewritten) text.
 *
 * <pre>{@code
 * QualityConfig config = new QualityConfig();   // datatrove's defaults; or bound from YAML
 * config.c4.enabled = false;
 * QualityPipeline pipeline = new QualityPipeline(config);
 * FilterOutcome outcome = pipeline.apply(normalizedText);
 * }</pre>
 *
 * <p>Order: {@code gopher_quality}, {@code gopher_repetition}, {@code c4}, {@code fineweb}; with
 * {@code order: fineweb} the two Gopher filters swap (FineWeb's recipe). The {@link QualityPreset}
 * picks datatrove 0.10's rules or those of mid-2024.
 *
 * <ul>
 *   <li>The two Gopher filters read the document as it arrived and never rewrite it, so their
 *       relative order changes only which reason a doubly-bad document gets, never whether it is
 *       kept. Gopher quality goes first because it is the cheaper (one pass over the words, no
 *       n-gram tables) and rejects the most documents (short ones), so repetition runs on fewer.
 *   <li>C4 comes after them because it rewrites the text (drops lines and joins the rest with
 *       single {@code \n}): repetition must see the original line and paragraph structure.
 *   <li>FineWeb comes last and sees the C4-cleaned text, as in the FineWeb recipe (datatrove's
 *       {@code fineweb.py} example runs Gopher repetition, Gopher quality, C4, then FineWeb).
 * </ul>
 *
 * Words and lines are computed once per document ({@link TextView}) and shared by the filters; they
 * are recomputed once only when C4 changed the text.
 *
 * <p>Immutable and thread-safe; {@link java.io.Serializable} for shipping to stream workers.
 */
public final class QualityPipeline implements java.io.Serializable {

  private static final long serialVersionUID = 1L;

  private final List<QualityFilter> filters;
  private final boolean splitInfixHyphens;

  /** A pipeline of {@code config}'s enabled filters; validates the config first. */
  public QualityPipeline(QualityConfig config) {
    if (config == null) {
      throw new IllegalArgumentException("quality config must not be null");
    }
    config.validate();
    QualityPreset preset = config.presetValue();
    this.splitInfixHyphens = preset == QualityPreset.DATATROVE_0_10;
    List<QualityFilter> enabled = new ArrayList<>(4);
    QualityFilter quality =
        config.gopherQuality.enabled ? new GopherQualityFilter(config.gopherQuality, preset) : null;
    QualityFilter repetition =
        config.gopherRepetition.enabled
            ? new GopherRepetitionFilter(config.gopherRepetition)
            : null;
    if ("fineweb".equals(config.order)) {
      addIf(enabled, repetition);
      addIf(enabled, quality);
    } else {
      addIf(enabled, quality);
      addIf(enabled, repetition);
    }
    if (config.c4.enabled) {
      enabled.add(new C4QualityFilter(config.c4));
    }
    if (config.fineWeb.enabled) {
      enabled.add(new FineWebQualityFilter(config.fineWeb, preset));
    }
    this.filters = List.copyOf(enabled);
  }

  private static void addIf(List<QualityFilter> list, QualityFilter f) {
    if (f != null) {
      list.add(f);
    }
  }

  /** The enabled filters, in the order they run. */
  public List<QualityFilter> filters() {
    return filters;
  }

  /**
   * Runs the filters on {@code text}: the first {@link FilterOutcome.Rejected}, or a {@link
   * FilterOutcome.Kept} with the final text and the lines removed per C4 line rule.
   */
  public FilterOutcome apply(String text) {
    TextView view = new TextView(text, splitInfixHyphens);
    Map<String, Integer> removed = null;
    for (QualityFilter filter : filters) {
      FilterOutcome outcome = filter.apply(view);
      if (!(outcome instanceof FilterOutcome.Kept kept)) {
        return outcome;
      }
      if (!kept.removedLines().isEmpty()) {
        if (removed == null) {
          removed = new HashMap<>();
        }
        for (Map.Entry<String, Integer> e : kept.removedLines().entrySet()) {
          removed.merge(e.getKey(), e.getValue(), Integer::sum);
        }
      }
      if (!kept.text().equals(view.text())) {
        view = new TextView(kept.text(), splitInfixHyphens);
      }
    }
    return FilterOutcome.kept(view.text(), removed == null ? Map.of() : removed);
  }
}
