package dev.winnow.jobs.curation.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.winnow.jobs.common.Annotations;
import dev.winnow.jobs.common.DocRecord;
import dev.winnow.selection.ccnet.PerplexityBuckets;
import dev.winnow.selection.ccnet.PerplexityBucketsConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;

/**
 * {@link WarmUpOperator} on a local Flink MiniCluster (one subtask, so the order of arrival is the
 * input's): it fits on exactly the first N documents, emits every document once, and a bounded
 * input shorter than the warm-up is fitted and flushed at its end. Recovery of the held-back
 * documents across a failure is checked by {@code CurationStagesIT}.
 */
class WarmUpOperatorTest {

  @Test
  void fitsOnTheFirstDocumentsThenAnnotatesTheRest() throws Exception {
    List<DocRecord> docs = docs(100);
    List<DocRecord> out = run(docs, 40);
    assertEveryDocumentOnce(docs, out);
    PerplexityBuckets expected = fit(docs.subList(0, 40));
    for (DocRecord d : out) {
      assertEquals(
          expected.headCut(), Annotations.number(d, "meta.winnow.ccnet.head_cut"), 1e-12, d.id);
      assertEquals(
          expected.tailCut(), Annotations.number(d, "meta.winnow.ccnet.tail_cut"), 1e-12, d.id);
    }
  }

  @Test
  void aBoundedInputShorterThanTheWarmUpIsFittedAndFlushedAtItsEnd() throws Exception {
    List<DocRecord> docs = docs(30);
    List<DocRecord> out = run(docs, 1000);
    assertEveryDocumentOnce(docs, out);
    PerplexityBuckets expected = fit(docs);
    int head = 0;
    for (DocRecord d : out) {
      assertEquals(
          expected.headCut(), Annotations.number(d, "meta.winnow.ccnet.head_cut"), 1e-12, d.id);
      head += "head".equals(Annotations.at(d, "meta.winnow.ccnet.bucket").asText()) ? 1 : 0;
    }
    assertEquals(9, head, "30% of 30 documents");
  }

  private static List<DocRecord> run(List<DocRecord> docs, int warmUp) throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1);
    List<DocRecord> out = new ArrayList<>();
    try (CloseableIterator<DocRecord> it =
        env.fromData(docs, TypeInformation.of(DocRecord.class))
            .transform(
                "ccnet",
                TypeInformation.of(DocRecord.class),
                new WarmUpOperator<>(new CcnetStage(new CcnetSection()), warmUp))
            .executeAndCollect()) {
      it.forEachRemaining(out::add);
    }
    return out;
  }

  private static void assertEveryDocumentOnce(List<DocRecord> in, List<DocRecord> out) {
    assertEquals(in.size(), out.size(), "documents out");
    TreeSet<String> ids = new TreeSet<>();
    out.forEach(d -> ids.add(d.id));
    TreeSet<String> expected = new TreeSet<>();
    in.forEach(d -> expected.add(d.id));
    assertEquals(expected, ids);
  }

  private static PerplexityBuckets fit(List<DocRecord> sample) {
    return PerplexityBuckets.fit(
        new PerplexityBucketsConfig(),
        sample.stream()
            .mapToDouble(d -> Annotations.number(d, "meta.winnow.score.ppl_word"))
            .toArray());
  }

  private static List<DocRecord> docs(int n) {
    SplittableRandom r = new SplittableRandom(11);
    List<DocRecord> docs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      // later documents have larger perplexities, so cuts fitted on the wrong documents would
      // differ
      docs.add(CcnetStageTest.scored(String.format("d%03d", i), 10 + i + 5 * r.nextDouble()));
    }
    return docs;
  }
}
