package dev.winnow.jobs.curation.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.jobs.common.Annotations;
import dev.winnow.jobs.common.DocRecord;
import dev.winnow.selection.ccnet.PerplexityBuckets;
import dev.winnow.selection.ccnet.PerplexityBucketsConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * {@link WarmUpOperator}'s operator state under Flink's operator test harness: a snapshot during
 * the warm-up restores the held-back documents (none lost, none emitted twice), a snapshot after
 * fitting restores the fitted value (no second fit), and a restore at a different parallelism
 * splits the state as the class describes.
 */
class WarmUpOperatorStateTest {
  private static final int WARM_UP = 20;

  @Test
  void aRestoreDuringTheWarmUpKeepsTheHeldDocumentsAndFitsOnTheSameOnes() throws Exception {
    List<DocRecord> docs = docs(50);
    OperatorSubtaskState snapshot;
    try (var h = harness(1, 0)) {
      h.open();
      for (DocRecord d : docs.subList(0, 12)) {
        h.processElement(d, 0);
      }
      assertEquals(0, h.extractOutputValues().size(), "held back during the warm-up");
      snapshot = h.snapshot(1, 1);
      for (DocRecord d : docs.subList(12, 15)) {
        h.processElement(
            d, 0); // after the checkpoint: lost with the failure, replayed by the source
      }
    }
    List<DocRecord> out = new ArrayList<>();
    try (var h = harness(1, 0)) {
      h.initializeState(snapshot);
      h.open();
      for (DocRecord d : docs.subList(12, 50)) {
        h.processElement(d, 0);
      }
      h.endInput();
      out.addAll(h.extractOutputValues());
    }
    assertEveryDocumentOnce(docs, out);
    PerplexityBuckets expected = fit(docs.subList(0, WARM_UP));
    for (DocRecord d : out) {
      assertEquals(
          expected.headCut(), Annotations.number(d, "meta.winnow.ccnet.head_cut"), 1e-12, d.id);
    }
  }

  @Test
  void aRestoreAfterFittingUsesTheFittedValueWithoutWaiting() throws Exception {
    List<DocRecord> docs = docs(40);
    OperatorSubtaskState snapshot;
    try (var h = harness(1, 0)) {
      h.open();
      for (DocRecord d : docs.subList(0, 25)) {
        h.processElement(d, 0);
      }
      assertEquals(25, h.extractOutputValues().size());
      snapshot = h.snapshot(1, 1);
    }
    try (var h = harness(1, 0)) {
      h.initializeState(snapshot);
      h.open();
      h.processElement(docs.get(25), 0);
      List<DocRecord> out = h.extractOutputValues();
      assertEquals(1, out.size(), "annotated at once, not held for a new warm-up");
      assertEquals(
          fit(docs.subList(0, WARM_UP)).headCut(),
          Annotations.number(out.get(0), "meta.winnow.ccnet.head_cut"),
          1e-12);
    }
  }

  @Test
  void aRestoreAtTwiceTheParallelismSplitsTheState() throws Exception {
    List<DocRecord> docs = docs(60);
    // parallelism 1 fitted, then 2: the fitted value goes to one subtask; the other warms up anew
    OperatorSubtaskState fitted;
    try (var h = harness(1, 0)) {
      h.open();
      for (DocRecord d : docs.subList(0, 30)) {
        h.processElement(d, 0);
      }
      fitted = h.snapshot(1, 1);
    }
    int annotatedAtOnce = 0;
    int heldBack = 0;
    for (int subtask = 0; subtask < 2; subtask++) {
      try (var h = harness(2, subtask)) {
        h.initializeState(
            AbstractStreamOperatorTestHarness.repartitionOperatorState(fitted, 128, 1, 2, subtask));
        h.open();
        h.processElement(docs.get(30 + subtask), 0);
        if (h.extractOutputValues().size() == 1) {
          annotatedAtOnce++;
        } else {
          heldBack++;
        }
      }
    }
    assertEquals(
        1, annotatedAtOnce, "the subtask that received the fitted value annotates at once");
    assertEquals(1, heldBack, "the other warms up anew");

    // parallelism 1 during the warm-up, then 2: the held documents are split, each emitted exactly
    // once
    OperatorSubtaskState warming;
    try (var h = harness(1, 0)) {
      h.open();
      for (DocRecord d : docs.subList(0, 10)) {
        h.processElement(d, 0);
      }
      warming = h.snapshot(1, 1);
    }
    List<DocRecord> out = new ArrayList<>();
    for (int subtask = 0; subtask < 2; subtask++) {
      try (var h = harness(2, subtask)) {
        h.initializeState(
            AbstractStreamOperatorTestHarness.repartitionOperatorState(
                warming, 128, 1, 2, subtask));
        h.open();
        for (int i = 10 + subtask; i < 60; i += 2) {
          h.processElement(docs.get(i), 0);
        }
        h.endInput();
        out.addAll(h.extractOutputValues());
      }
    }
    assertEveryDocumentOnce(docs, out);
    assertTrue(
        out.stream()
            .allMatch(d -> !Double.isNaN(Annotations.number(d, "meta.winnow.ccnet.head_cut"))),
        "every document annotated");
  }

  private static OneInputStreamOperatorTestHarness<DocRecord, DocRecord> harness(
      int parallelism, int subtask) throws Exception {
    var h =
        new OneInputStreamOperatorTestHarness<>(
            new WarmUpOperator<>(new CcnetStage(new CcnetSection()), WARM_UP),
            128,
            parallelism,
            subtask);
    h.setup();
    return h;
  }

  static void assertEveryDocumentOnce(List<DocRecord> in, List<DocRecord> out) {
    TreeSet<String> expected = new TreeSet<>();
    in.forEach(d -> expected.add(d.id));
    List<String> ids = out.stream().map(d -> d.id).sorted().toList();
    assertEquals(new ArrayList<>(expected), ids, "every document exactly once");
  }

  private static PerplexityBuckets fit(List<DocRecord> sample) {
    return PerplexityBuckets.fit(
        new PerplexityBucketsConfig(),
        sample.stream()
            .mapToDouble(d -> Annotations.number(d, "meta.winnow.score.ppl_word"))
            .toArray());
  }

  private static List<DocRecord> docs(int n) {
    List<DocRecord> docs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      docs.add(
          CcnetStageTest.scored(
              String.format("d%03d", i), 10 + i)); // later documents: larger perplexities
    }
    return docs;
  }
}
