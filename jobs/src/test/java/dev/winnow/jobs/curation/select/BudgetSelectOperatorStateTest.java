package dev.winnow.jobs.curation.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.jobs.common.DocRecord;
import dev.winnow.jobs.common.RejectedRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;

/**
 * {@link BudgetSelectOperator}'s operator state under Flink's operator test harness: a run
 * snapshotted and restored at any point (during the selector's warm-up, or after its first
 * estimate) decides every document exactly as an uninterrupted run does, and a restore at another
 * parallelism than the one subtask it runs with is refused.
 */
class BudgetSelectOperatorStateTest {
  private static final OutputTag<RejectedRecord> REJECTED =
      new OutputTag<>("rejected", TypeInformation.of(RejectedRecord.class));

  @Test
  void aRestoreAnywhereDecidesAsAnUninterruptedRun() throws Exception {
    List<DocRecord> docs = docs(400);
    Outcome whole = run(docs, -1);
    assertEquals(docs.size(), whole.kept.size() + whole.rejected.size());
    assertTrue(
        whole.kept.size() > 100 && whole.kept.size() < 300,
        "about half kept: " + whole.kept.size());
    for (int cut :
        new int[] {30, 200, 399}) { // during the warm-up (50 held), after it, just before the end
      Outcome restored = run(docs, cut);
      assertEquals(whole.kept, restored.kept, "kept after a restore at document " + cut);
      assertEquals(
          whole.rejected, restored.rejected, "rejected after a restore at document " + cut);
    }
  }

  @Test
  void aRestoreAtTwoSubtasksIsRefused() throws Exception {
    OperatorSubtaskState s;
    try (var h = harness(1, 0)) {
      h.open();
      for (DocRecord d : docs(10)) {
        h.processElement(d, 0);
      }
      s = h.snapshot(1, 1);
    }
    // both subtasks' shares of a rescaled snapshot: the selector goes to one of them whole;
    // restoring the state of
    // one subtask twice (two selectors) is what a parallelism above 1 would mean, and is refused
    OperatorSubtaskState twice = AbstractStreamOperatorTestHarness.repackageState(s, s);
    try (var h = harness(1, 0)) {
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () -> {
                h.initializeState(twice);
                h.open();
              });
      assertTrue(e.getMessage().contains("parallelism 1"), e.getMessage());
    }
  }

  private record Outcome(TreeSet<String> kept, TreeSet<String> rejected) {}

  /**
   * Runs all documents through the stage; with {@code cutAt >= 0}, snapshots after that many,
   * restores a new one.
   */
  private static Outcome run(List<DocRecord> docs, int cutAt) throws Exception {
    Outcome o = new Outcome(new TreeSet<>(), new TreeSet<>());
    var h = harness(1, 0);
    h.open();
    for (int i = 0; i < docs.size(); i++) {
      h.processElement(copy(docs.get(i)), 0);
      if (i == cutAt) {
        OperatorSubtaskState s = h.snapshot(1, 1);
        collect(h, o);
        h.close();
        h = harness(1, 0);
        h.initializeState(s);
        h.open();
      }
    }
    h.endInput();
    collect(h, o);
    h.close();
    return o;
  }

  private static void collect(
      OneInputStreamOperatorTestHarness<DocRecord, DocRecord> h, Outcome o) {
    h.extractOutputValues().forEach(d -> assertTrue(o.kept.add(d.id), "kept twice: " + d.id));
    var side = h.getSideOutput(REJECTED);
    if (side != null) {
      for (StreamRecord<RejectedRecord> r : side) {
        assertTrue(o.rejected.add(r.getValue().doc.id), "rejected twice: " + r.getValue().doc.id);
      }
      side.clear();
    }
    h.getOutput().clear();
  }

  private static OneInputStreamOperatorTestHarness<DocRecord, DocRecord> harness(
      int parallelism, int subtask) throws Exception {
    SelectSection cfg = new SelectSection();
    cfg.enabled = true;
    cfg.scoreField = "meta.quality";
    cfg.lowerIsBetter = false;
    cfg.fraction = 0.5;
    cfg.warmup = 50;
    cfg.reservoirSize = 100;
    cfg.refreshEvery = 16;
    var h =
        new OneInputStreamOperatorTestHarness<>(
            new BudgetSelectOperator(cfg, "proxy-mini", REJECTED), 1, parallelism, subtask);
    h.setup();
    return h;
  }

  private static DocRecord copy(DocRecord d) {
    DocRecord c = new DocRecord();
    c.id = d.id;
    c.text = d.text;
    c.source = d.source;
    c.metaJson = d.metaJson;
    c.origin = d.origin;
    return c;
  }

  private static List<DocRecord> docs(int n) {
    SplittableRandom r = new SplittableRandom(5);
    List<DocRecord> docs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      DocRecord d = new DocRecord();
      d.id = String.format("d%04d", i);
      d.text = "document " + i;
      d.source = "web";
      d.origin = "raw-0@" + i;
      d.metaJson = "{\"quality\": " + r.nextDouble() + "}";
      docs.add(d);
    }
    return docs;
  }
}
