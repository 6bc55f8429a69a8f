package dev.winnow.jobs.curation.scoring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.winnow.ingest.Document;
import dev.winnow.jobs.common.Annotations;
import dev.winnow.jobs.common.DocRecord;
import dev.winnow.selection.ccnet.PerplexityBuckets;
import dev.winnow.selection.ccnet.PerplexityBucketsConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CcnetStageTest {

  @Test
  void learnedCutsAreThePercentilesOfTheSamplesPerplexities() {
    CcnetSection cfg = new CcnetSection();
    CcnetStage stage = new CcnetStage(cfg);
    assertNull(stage.given());
    SplittableRandom r = new SplittableRandom(7);
    List<DocRecord> sample = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      double ppl = 20 + 400 * r.nextDouble();
      values.add(ppl);
      sample.add(scored("d" + i, ppl));
    }
    sample.add(
        scored(
            "no-ppl", Double.NaN)); // a one-token text: ppl_word null, not part of the percentiles
    double[] fitted = stage.fit(sample);
    PerplexityBuckets expected =
        PerplexityBuckets.fit(
            new PerplexityBucketsConfig(),
            values.stream().mapToDouble(Double::doubleValue).toArray());
    assertArrayEquals(new double[] {expected.headCut(), expected.tailCut()}, fitted, 1e-12);
    stage.use(fitted);
    int[] counts = new int[3];
    for (DocRecord d : sample) {
      stage.annotate(d);
      String bucket = Annotations.at(d, "meta.winnow.ccnet.bucket").asText();
      counts[bucket.equals("head") ? 0 : bucket.equals("middle") ? 1 : 2]++;
      assertEquals(expected.headCut(), Annotations.number(d, "meta.winnow.ccnet.head_cut"), 1e-12);
      assertEquals(
          expected.bucket(Annotations.number(d, "meta.winnow.score.ppl_word")).label(),
          bucket,
          d.id);
    }
    assertArrayEquals(
        new int[] {60, 60, 81}, counts, "30% / 30% / 40% of 200, and the one without ppl is tail");
  }

  @Test
  void givenCutsNeedNoWarmUp() {
    CcnetSection cfg = new CcnetSection();
    cfg.headCut = 50.0;
    cfg.tailCut = 100.0;
    CcnetStage stage = new CcnetStage(cfg);
    stage.use(stage.given());
    assertEquals("head", bucket(stage, scored("a", 50)));
    assertEquals("middle", bucket(stage, scored("b", 50.001)));
    assertEquals("middle", bucket(stage, scored("c", 100)));
    assertEquals("tail", bucket(stage, scored("d", 100.5)));
    assertEquals("tail", bucket(stage, scored("e", Double.NaN)));
  }

  @Test
  void aFieldOfTheDocumentsOwnMetadataWorksToo() {
    CcnetSection cfg = new CcnetSection();
    cfg.perplexityField = "meta.kenlm_ppl";
    CcnetStage stage = new CcnetStage(cfg);
    List<DocRecord> sample = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      sample.add(
          DocRecord.of(
              new Document("k" + i, "text " + i, "t", Map.of("kenlm_ppl", i * 10)), "t-0@" + i));
    }
    stage.use(stage.fit(sample));
    assertEquals("head", bucket(stage, sample.get(0)));
    assertEquals("tail", bucket(stage, sample.get(9)));
  }

  @Test
  void aSampleWithoutAnyPerplexityLeavesEveryDocumentInTheTail() {
    CcnetStage stage = new CcnetStage(new CcnetSection());
    DocRecord d = scored("x", Double.NaN);
    stage.use(stage.fit(List.of(d)));
    stage.annotate(d);
    JsonNode c = Annotations.at(d, "meta.winnow.ccnet");
    assertEquals("tail", c.path("bucket").asText());
    assertTrue(c.path("head_cut").isNull() && c.path("tail_cut").isNull(), c.toString());
  }

  private static String bucket(CcnetStage stage, DocRecord d) {
    stage.annotate(d);
    return Annotations.at(d, "meta.winnow.ccnet.bucket").asText();
  }

  static DocRecord scored(String id, double pplWord) {
    DocRecord d =
        DocRecord.of(new Document(id, "some text of " + id, "test", Map.of()), "t-0@" + id);
    d.annotations =
        Annotations.with(null, "score", o -> Annotations.putFinite(o, "ppl_word", pplWord));
    return d;
  }
}
