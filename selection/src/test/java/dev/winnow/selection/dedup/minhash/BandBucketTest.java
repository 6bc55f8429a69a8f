package dev.winnow.selection.dedup.minhash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class BandBucketTest {

  private static BandBucket.Entry entry(String id, long... sig) {
    return new BandBucket.Entry(id, id, new MinHashSignature(sig), null);
  }

  @Test
  void evictsOldestBeyondTheBound() {
    BandBucket b = new BandBucket(2);
    BandBucket.Entry e1 = entry("a", 1, 2);
    assertNull(b.add(e1));
    assertNull(b.add(entry("b", 1, 3)));
    assertSame(e1, b.add(entry("c", 1, 4)));
    assertEquals(List.of("b", "c"), b.entries().stream().map(BandBucket.Entry::docId).toList());
  }

  @Test
  void bestMatchIsTheMostSimilarAtOrAboveThreshold() {
    BandBucket b = new BandBucket(10);
    b.add(entry("half", 1, 2, 9, 9));
    b.add(entry("three", 1, 2, 3, 9));
    b.add(entry("three-later", 1, 2, 3, 8));
    MinHashSignature probe = new MinHashSignature(new long[] {1, 2, 3, 4});
    BandBucket.Match m = b.bestMatch(probe, null, 0.5, false);
    assertEquals("three", m.entry().docId());
    assertEquals(0.75, m.similarity());
    assertNull(b.bestMatch(probe, null, 0.8, false));
  }

  @Test
  void exactCheckUsesShingleSets() {
    BandBucket b = new BandBucket(10);
    b.add(
        new BandBucket.Entry(
            "x", "x", new MinHashSignature(new long[] {1, 2}), new long[] {1, 2, 3, 4}));
    BandBucket.Match m =
        b.bestMatch(new MinHashSignature(new long[] {1, 2}), new long[] {1, 2, 3, 5}, 0.5, true);
    assertEquals(0.6, m.similarity(), 1e-12);
  }

  @Test
  void serializedRoundTripAndMeasuredSize() throws Exception {
    BandBucket b = new BandBucket(5);
    b.add(entry("doc-1", 1, 2, 3));
    b.add(
        new BandBucket.Entry(
            "doc-2", "doc-1", new MinHashSignature(new long[] {4, 5, 6}), new long[] {7, 8}));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    b.writeTo(new DataOutputStream(bytes));
    int expected = 4 + b.entries().stream().mapToInt(BandBucket.Entry::serializedBytes).sum();
    assertEquals(expected, bytes.size());

    BandBucket back =
        BandBucket.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), 5);
    List<BandBucket.Entry> entries = List.copyOf(back.entries());
    assertEquals("doc-2", entries.get(1).docId());
    assertEquals("doc-1", entries.get(1).clusterId());
    assertArrayEquals(new long[] {7, 8}, entries.get(1).shingles());
    assertNull(entries.get(0).shingles());
    assertEquals(new MinHashSignature(new long[] {1, 2, 3}), entries.get(0).signature());
  }
}
