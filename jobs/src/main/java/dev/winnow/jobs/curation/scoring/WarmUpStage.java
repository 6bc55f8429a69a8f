package dev.winnow.jobs.curation.scoring;

import dev.winnow.jobs.common.DocRecord;
import java.io.Serializable;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * A stage that annotates documents with something fitted from the stream itself (DSIR's raw
 * distribution, CCNet's cut points), run by {@link WarmUpOperator}: the operator buffers the first
 * documents in checkpointed state, calls {@link #fit} on them, keeps the fitted value in
 * checkpointed state, and from then on annotates every document.
 *
 * <p>The fitted value {@code F} is small and must be serializable by Flink ({@link #fittedType()}):
 * it is what a restart restores, and {@link #use} turns it back into whatever {@link #annotate}
 * needs.
 *
 * @param <F> what is fitted
 */
public interface WarmUpStage<F> extends Serializable {
  /** Flink's type of the fitted value, for the operator's state. */
  TypeInformation<F> fittedType();

  /**
   * Loads what the stage needs on the TaskManager (called once per subtask, before anything else).
   */
  void open() throws Exception;

  /**
   * The fitted value when nothing needs to be learned from the stream (e.g. given cut points), else
   * null.
   */
  F given();

  /**
   * Fits from the warm-up sample (at least one document; fewer than asked for when a bounded input
   * ended early).
   */
  F fit(List<DocRecord> sample);

  /** Makes {@link #annotate} use this fitted value. */
  void use(F fitted);

  /** Adds the stage's annotation to the document (called only after {@link #use}). */
  void annotate(DocRecord d);
}
