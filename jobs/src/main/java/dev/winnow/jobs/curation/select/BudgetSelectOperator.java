package dev.winnow.jobs.curation.select;

import dev.winnow.jobs.common.Annotations;
import dev.winnow.jobs.common.DocRecord;
import dev.winnow.jobs.common.RejectedRecord;
import dev.winnow.jobs.models.BundledModels;
import dev.winnow.kernels.model.ModelConfig;
import dev.winnow.kernels.model.ModelLoader;
import dev.winnow.kernels.tokenizer.Tokenizer;
import dev.winnow.selection.budget.BudgetConfig;
import dev.winnow.selection.budget.Candidate;
import dev.winnow.selection.budget.Decision;
import dev.winnow.selection.budget.StreamingBudgetSelector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.InstantiationUtil;
import org.apache.flink.util.OutputTag;

/**
 * The streaming budget stage: offers every document to a {@link StreamingBudgetSelector} and emits
 * the decisions it releases, kept documents downstream and dropped ones on the rejected side output
 * ({@code below budget}, with the score and the threshold it missed). A document without the score
 * is rejected with {@code missing score}.
 *
 * <p>A custom operator rather than a process function because the selector holds the first
 * documents back until its first threshold estimate, and a bounded run must release them at the end
 * of its input ({@link BoundedOneInput#endInput()}), which a process function is not told. Those
 * held documents and the selector (reservoir, thresholds, budget spent) are operator state,
 * snapshotted on every checkpoint, so a failure neither loses nor repeats a decision. Run with
 * parallelism 1: the fraction, the source shares and the hard cap then hold for the whole stream,
 * and the stage only compares numbers, so one subtask keeps up with any upstream scorer.
 */
public class BudgetSelectOperator extends AbstractStreamOperator<DocRecord>
    implements OneInputStreamOperator<DocRecord, DocRecord>, BoundedOneInput {
  private static final long serialVersionUID = 1L;

  private final SelectSection cfg;
  private final String tokenizerModel;
  private final OutputTag<RejectedRecord> rejected;

  private transient StreamingBudgetSelector selector;
  private transient BudgetConfig budget;
  private transient Tokenizer tokenizer;

  /** Documents held by the selector's warm-up, in arrival order per equal candidate. */
  private transient Map<Candidate, ArrayDeque<DocRecord>> held;

  private transient List<DocRecord> heldOrder;
  private transient ListState<byte[]> selectorState;
  private transient ListState<DocRecord> heldState;

  /**
   * @param cfg the {@code select} section
   * @param tokenizerModel the model whose tokenizer counts tokens of documents without {@code
   *     tokensField}
   * @param rejected where dropped documents go
   */
  public BudgetSelectOperator(
      SelectSection cfg, String tokenizerModel, OutputTag<RejectedRecord> rejected) {
    this.cfg = cfg;
    this.tokenizerModel = tokenizerModel;
    this.rejected = rejected;
  }

  @Override
  public void initializeState(StateInitializationContext context) throws Exception {
    super.initializeState(context);
    budget = cfg.budget();
    selectorState =
        context
            .getOperatorStateStore()
            .getListState(
                new ListStateDescriptor<>(
                    "budget-selector", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
    heldState =
        context
            .getOperatorStateStore()
            .getListState(
                new ListStateDescriptor<>("budget-held", TypeInformation.of(DocRecord.class)));
    held = new HashMap<>();
    heldOrder = new ArrayList<>();
    selector = null;
    for (byte[] b : selectorState.get()) {
      if (selector != null) {
        throw new IllegalStateException(
            "the budget stage restored two selectors: it must run with parallelism 1");
      }
      selector = InstantiationUtil.deserializeObject(b, getUserCodeClassloader());
    }
    if (selector == null) {
      selector = new StreamingBudgetSelector(budget);
    }
    for (DocRecord d : heldState.get()) {
      hold(candidate(d, Annotations.number(d, cfg.scoreField)), d);
    }
  }

  @Override
  public void snapshotState(StateSnapshotContext context) throws Exception {
    super.snapshotState(context);
    selectorState.update(List.of(InstantiationUtil.serializeObject(selector)));
    heldState.update(heldOrder);
  }

  @Override
  public void processElement(StreamRecord<DocRecord> element) throws Exception {
    DocRecord d = element.getValue();
    double s = Annotations.number(d, cfg.scoreField);
    if (Double.isNaN(s)) {
      output.collect(
          rejected,
          new StreamRecord<>(
              RejectedRecord.of(
                  d,
                  "select",
                  "budget",
                  "missing score",
                  Double.NaN,
                  "document has no number at " + cfg.scoreField,
                  null)));
      return;
    }
    Candidate c = candidate(d, s);
    hold(c, d);
    emit(selector.offer(c));
  }

  @Override
  public void endInput() {
    emit(selector.finish());
  }

  private Candidate candidate(DocRecord d, double s) {
    double v = cfg.lowerIsBetter ? -s : s;
    long t = budget.unit == BudgetConfig.Unit.TOKENS ? tokens(d) : 1;
    return new Candidate(d.id, d.source, v, t);
  }

  private void hold(Candidate c, DocRecord d) {
    held.computeIfAbsent(c, k -> new ArrayDeque<>()).add(d);
    heldOrder.add(d);
  }

  private void emit(List<Decision> decisions) {
    for (Decision dec : decisions) {
      ArrayDeque<DocRecord> q = held.get(dec.candidate());
      DocRecord d = q.poll();
      if (q.isEmpty()) {
        held.remove(dec.candidate());
      }
      removeIdentity(heldOrder, d);
      if (dec.kept()) {
        output.collect(new StreamRecord<>(d));
      } else {
        double value = cfg.lowerIsBetter ? -dec.candidate().score() : dec.candidate().score();
        output.collect(
            rejected,
            new StreamRecord<>(
                RejectedRecord.of(
                    d,
                    "select",
                    "budget",
                    Decision.BELOW_BUDGET,
                    value,
                    threshold(dec.threshold()),
                    null)));
      }
    }
  }

  /**
   * The threshold in the score's own terms: what the document's score (or Gumbel key) needed to
   * reach.
   */
  private String threshold(double key) {
    if (Double.isInfinite(key)) {
      return "nothing of source kept";
    }
    if (budget.method == BudgetConfig.Method.GUMBEL_TOP_K) {
      return "key >= " + key + " (key = score/" + budget.temperature + " + Gumbel noise)";
    }
    return cfg.lowerIsBetter ? "<= " + (-key) : ">= " + key;
  }

  private long tokens(DocRecord d) {
    double v =
        cfg.tokensField == null || cfg.tokensField.isBlank()
            ? Double.NaN
            : Annotations.number(d, cfg.tokensField);
    if (!Double.isNaN(v)) {
      return Math.max(0, Math.round(v));
    }
    if (tokenizer == null) {
      try {
        Path dir = BundledModels.resolve(tokenizerModel);
        tokenizer =
            ModelLoader.loadTokenizer(dir, ModelConfig.read(dir.resolve(ModelLoader.CONFIG_FILE)));
      } catch (IOException e) {
        throw new UncheckedIOException(
            "select: cannot load the tokenizer of " + tokenizerModel + " to count tokens", e);
      }
    }
    return tokenizer.encode(d.text).length;
  }

  /**
   * Held documents are released in arrival order, so the one to remove is almost always at the
   * front.
   */
  private static void removeIdentity(List<DocRecord> list, DocRecord d) {
    for (Iterator<DocRecord> it = list.iterator(); it.hasNext(); ) {
      if (it.next() == d) {
        it.remove();
        return;
      }
    }
  }
}
