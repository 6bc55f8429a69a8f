package dev.winnow.jobs.curation.dedup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.selection.dedup.minhash.MinHashConfig;
import dev.winnow.selection.dedup.minhash.OnePermutationSketch;
import dev.winnow.selection.dedup.minhash.Shingler;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The sketch store answers each band's candidate: an owner's entry is stored once and a later near
 * copy is matched naming it, also after a snapshot and restore.
 */
class SketchStoreFunctionTest {
  private static final String ORIGINAL =
      "The grain exporter denied any knowledge of the payments made to the trucking company in"
          + " Jordan, saying its managers had relied on the advice of the United Nations program"
          + " officers and on the contracts signed in Baghdad. The inquiry heard that emails sent"
          + " in two thousand and one described the fees as transport costs for every shipment.";

  private static byte[] sketch(String text) {
    MinHashConfig c = MinHashConfig.datatrove();
    return OnePermutationSketch.of(
            new Shingler(c).shingleSet(text),
            OnePermutationSketch.DEFAULT_BINS,
            OnePermutationSketch.DEFAULT_BITS,
            c.seed)
        .packed();
  }

  private static BandCandidate candidate(int owner, boolean owns, String id, String text) {
    BandCandidate c = new BandCandidate();
    c.owner = owner;
    c.owns = owns;
    c.docKey = "key-" + id;
    c.docId = id;
    c.sketch = sketch(text);
    return c;
  }

  private static KeyedOneInputStreamOperatorTestHarness<Integer, BandCandidate, BandAnswer>
      harness() throws Exception {
    return new KeyedOneInputStreamOperatorTestHarness<>(
        new KeyedProcessOperator<>(new SketchStoreFunction(0.8, 0)), c -> c.owner, Types.INT);
  }

  private static List<BandAnswer> answers(
      KeyedOneInputStreamOperatorTestHarness<Integer, BandCandidate, BandAnswer> h) {
    List<BandAnswer> out = new ArrayList<>();
    for (Object o : h.extractOutputValues()) {
      out.add((BandAnswer) o);
    }
    return out;
  }

  @Test
  void ownerIsStoredOnceAndANearCopyNamesIt() throws Exception {
    String near = ORIGINAL.replace("emails sent", "emails written");
    String other =
        "Farmers in the central west say the rain came too late for the wheat crop, and many"
            + " expect yields to fall by a third compared with last season across the district.";
    OperatorSubtaskState snapshot;
    try (var h = harness()) {
      h.open();
      h.processElement(candidate(7, true, "orig", ORIGINAL), 0);
      h.processElement(candidate(7, true, "orig", ORIGINAL), 0); // another band it owns
      h.processElement(candidate(7, false, "other", other), 0);
      List<BandAnswer> a = answers(h);
      assertEquals(3, a.size(), "one answer per band");
      assertNull(a.get(0).matchId);
      assertNull(a.get(1).matchId);
      assertNull(a.get(2).matchId, "a dissimilar document does not match the owner");
      snapshot = h.snapshot(1, 1);
    }
    try (var h = harness()) {
      h.initializeState(snapshot);
      h.open();
      h.processElement(candidate(7, false, "near", near), 0);
      BandAnswer a = answers(h).get(0);
      assertEquals("orig", a.matchId, "restored store names the kept twin");
      assertEquals("key-near", a.docKey);
      assertTrue(a.similarity >= 0.8, "similarity " + a.similarity);
    }
  }

  @Test
  void referenceMatchWinsTies() throws Exception {
    try (var h = harness()) {
      h.open();
      h.processElement(candidate(3, true, "live", ORIGINAL), 0);
      BandCandidate c = candidate(3, false, "copy", ORIGINAL);
      c.referenceId = "ref-1";
      c.referenceCluster = "ref-1";
      c.referenceSimilarity = 1.0;
      h.processElement(c, 0);
      BandAnswer a = answers(h).get(1);
      assertEquals("ref-1", a.matchId);
      assertEquals(1.0, a.similarity);
    }
  }
}
