package dev.winnow.jobs.curation.filter;

import dev.winnow.jobs.common.DocRecord;
import dev.winnow.jobs.common.RejectedRecord;
import java.io.Serializable;

/**
 * One curation filter stage's decision on a document, shared by the streaming job ({@link
 * FilterStageFunction}) and the file commands ({@code winnow langid}, {@code redact}, {@code
 * decontaminate}, {@code filter}), so both apply exactly the same logic. A filter may rewrite the
 * document (its text, its {@code meta.winnow} annotations) before deciding.
 */
public interface DocumentFilter extends Serializable {
  /** The stage name that rejections carry ({@code language}, {@code pii}, ...). */
  String stage();

  /**
   * Loads what the filter needs (models, lists, indexes); called once before the first {@link
   * #apply}.
   */
  default void open() {}

  /** Decides on {@code d}, possibly rewriting it: null when kept, else why it was dropped. */
  RejectedRecord apply(DocRecord d);
}
