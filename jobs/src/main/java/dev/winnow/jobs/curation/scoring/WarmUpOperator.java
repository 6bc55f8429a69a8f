package dev.winnow.jobs.curation.scoring;

import dev.winnow.jobs.common.DocRecord;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Runs a {@link WarmUpStage}: each subtask holds back the first {@code warmUpDocuments} documents
 * it receives, fits the stage on them, emits them annotated, and then annotates every later
 * document as it arrives.
 *
 * <p>Exactly once across failures: the held-back documents and, once fitted, the fitted value live
 * in operator {@link ListState}, so they are part of every checkpoint. A restart during the warm-up
 * restores the documents held at the checkpoint (the source replays the rest), so none is lost or
 * emitted twice; a restart after fitting restores the fitted value and does not fit again. A
 * bounded input that ends during the warm-up fits on what was held ({@link #endInput}; a
 * ProcessFunction has no such hook in Flink 2.2, hence an operator). A subtask that received
 * nothing fits nothing.
 *
 * <p>The state is split on rescaling (plain operator list state): a subtask that receives no fitted
 * value warms up anew; one that receives held-back documents and a fitted value emits them with its
 * next document or at the end.
 *
 * @param <F> what the stage fits
 */
public final class WarmUpOperator<F> extends AbstractStreamOperator<DocRecord>
    implements OneInputStreamOperator<DocRecord, DocRecord>, BoundedOneInput {
  private static final long serialVersionUID = 1L;

  private final WarmUpStage<F> stage;
  private final int warmUpDocuments;
  private transient ListState<DocRecord> heldBack;
  private transient ListState<F> fittedState;
  private transient int held;
  private transient boolean ready;

  public WarmUpOperator(WarmUpStage<F> stage, int warmUpDocuments) {
    if (warmUpDocuments < 1) {
      throw new IllegalArgumentException(
          "illegal warmUpDocuments " + warmUpDocuments + ": must be at least 1");
    }
    this.stage = stage;
    this.warmUpDocuments = warmUpDocuments;
  }

  @Override
  public void initializeState(StateInitializationContext context) throws Exception {
    super.initializeState(context);
    heldBack =
        context
            .getOperatorStateStore()
            .getListState(
                new ListStateDescriptor<>(
                    "warm-up-documents", TypeInformation.of(DocRecord.class)));
    fittedState =
        context
            .getOperatorStateStore()
            .getListState(new ListStateDescriptor<>("fitted", stage.fittedType()));
  }

  @Override
  public void open() throws Exception {
    super.open();
    stage.open();
    F fitted = stage.given();
    if (fitted == null) {
      for (F f : fittedState.get()) {
        fitted =
            f; // after a rescale several may arrive here; any one of them was fitted on this stream
        break;
      }
    }
    if (fitted != null) {
      stage.use(fitted);
      ready = true;
    }
    held = 0;
    for (DocRecord ignored : heldBack.get()) {
      held++;
    }
  }

  @Override
  public void processElement(StreamRecord<DocRecord> element) throws Exception {
    if (ready) {
      emitHeldBack();
      DocRecord d = element.getValue();
      stage.annotate(d);
      output.collect(element.replace(d));
      return;
    }
    heldBack.add(element.getValue());
    if (++held >= warmUpDocuments) {
      fitOnHeldBack();
    }
  }

  @Override
  public void endInput() throws Exception {
    if (!ready && held > 0) {
      fitOnHeldBack();
    } else {
      emitHeldBack();
    }
  }

  private void fitOnHeldBack() throws Exception {
    List<DocRecord> sample = new ArrayList<>(held);
    heldBack.get().forEach(sample::add);
    F fitted = stage.fit(sample);
    stage.use(fitted);
    fittedState.update(List.of(fitted));
    ready = true;
    emitHeldBack();
  }

  private void emitHeldBack() throws Exception {
    if (held == 0) {
      return;
    }
    for (DocRecord d : heldBack.get()) {
      stage.annotate(d);
      output.collect(new StreamRecord<>(d));
    }
    heldBack.clear();
    held = 0;
  }
}
