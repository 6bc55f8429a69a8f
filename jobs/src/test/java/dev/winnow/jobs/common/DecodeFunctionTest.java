package dev.winnow.jobs.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.jobs.curation.CurationJob;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Decode: documents out, malformed and oversized records dead-lettered with the reason. */
class DecodeFunctionTest {
  @Test
  void oversizedRecordsAreDeadLetteredUnreadAndMalformedOnesWithTheParseError() throws Exception {
    DecodeFunction f = new DecodeFunction(CurationJob.DEAD_LETTERS, 64, "topics.maxRecordBytes");
    try (OneInputStreamOperatorTestHarness<RawRecord, DocRecord> h =
        new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(f))) {
      h.open();
      String ok = "{\"id\": \"a\", \"text\": \"short\"}";
      // over the limit, and not even JSON: never parsed, so the reason is the size
      String big = "x".repeat(65);
      String broken = "{\"id\": \"b\", \"text\": ";
      for (String v : List.of(ok, big, broken)) {
        h.processElement(new StreamRecord<>(raw(v)));
      }
      List<DocRecord> docs = h.extractOutputValues();
      assertEquals(1, docs.size());
      assertEquals("a", docs.get(0).id);
      List<DeadLetterRecord> dead =
          h.getSideOutput(CurationJob.DEAD_LETTERS).stream().map(StreamRecord::getValue).toList();
      assertEquals(2, dead.size());
      assertArrayEquals(big.getBytes(StandardCharsets.UTF_8), dead.get(0).value);
      assertTrue(
          dead.get(0).reason.startsWith("oversized record: 65 bytes, over the limit of 64 bytes")
              && dead.get(0).reason.contains("topics.maxRecordBytes"),
          dead.get(0).reason);
      assertTrue(dead.get(1).reason.startsWith("undecodable record"), dead.get(1).reason);
    }
  }

  private static RawRecord raw(String value) {
    RawRecord r = new RawRecord();
    r.value = value.getBytes(StandardCharsets.UTF_8);
    r.topic = "raw";
    return r;
  }
}
