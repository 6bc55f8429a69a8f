package dev.winnow.selection.dedup.minhash;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The streaming layout described in {@link BandBucket}, simulated without Flink: state is a map
 * from band key to a serialized bucket, each band answers its best match on its own, and the
 * answers are combined per document. It must decide exactly like {@link NearDuplicateIndex}, and
 * its measured state must be what {@link NearDuplicateIndex#keyedStateBytesPerKeptDocument()} says.
 */
class StreamingLayoutTest {

  @Test
  void keyedBandBucketsDecideLikeTheIndex() {
    MinHashConfig c = MinHashConfig.datatrove();
    c.threshold = 0.7;
    Shingler shingler = new Shingler(c);
    MinHasher hasher = new MinHasher(c);
    LshBands bands = new LshBands(c);
    NearDuplicateIndex index = new NearDuplicateIndex(c);
    Map<Long, byte[]> state = new HashMap<>();

    SplittableRandom r = new SplittableRandom(21);
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      texts.add(TestTexts.randomText(r, 150));
    }
    for (int i = 0; i < 80; i++) {
      texts.add(TestTexts.substitute(r, texts.get(r.nextInt(40)), r.nextDouble() * 0.06));
    }
    long keyedBytes = 0;
    int kept = 0;
    for (int d = 0; d < texts.size(); d++) {
      String id = "d" + d;
      MinHashSignature sig = hasher.signature(shingler.shingleSet(texts.get(d)));
      long[] keys = bands.keys(sig);
      // Each band key answers alone (one keyed call per band); the document combines them.
      BandBucket.Match best = null;
      for (long key : keys) {
        BandBucket.Match m = read(state.get(key), c).bestMatch(sig, null, c.threshold, false);
        if (m != null && (best == null || m.similarity() > best.similarity())) {
          best = m;
        }
      }
      Decision streamed =
          best == null
              ? new Decision.Kept(id, id, false)
              : new Decision.Duplicate(
                  id, best.entry().docId(), best.entry().clusterId(), best.similarity(), false);
      if (best == null) {
        kept++;
        BandBucket.Entry entry = new BandBucket.Entry(id, id, sig, null);
        for (long key : keys) {
          BandBucket bucket = read(state.get(key), c);
          bucket.add(entry);
          state.put(key, write(bucket));
        }
        keyedBytes += keys.length * (8L + entry.serializedBytes());
      }
      assertEquals(index.offer(id, texts.get(d)), streamed, id);
    }
    assertEquals((double) keyedBytes / kept, index.keyedStateBytesPerKeptDocument(), 1e-9);
    // Serialized buckets hold b copies: their total is the keyed state less the 8-byte keys
    // and plus a 4-byte count per bucket.
    long stored = state.values().stream().mapToLong(b -> b.length).sum();
    assertEquals(keyedBytes - 8L * c.bands * kept + 4L * state.size(), stored);
  }

  private static BandBucket read(byte[] bytes, MinHashConfig c) {
    if (bytes == null) {
      return new BandBucket(c.maxDocsPerBucket);
    }
    try {
      return BandBucket.readFrom(
          new DataInputStream(new ByteArrayInputStream(bytes)), c.maxDocsPerBucket);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] write(BandBucket bucket) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      bucket.writeTo(new DataOutputStream(out));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
