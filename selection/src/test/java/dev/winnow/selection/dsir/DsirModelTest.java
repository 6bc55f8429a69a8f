package dev.winnow.selection.dsir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DsirModelTest {

  private static final List<String> TARGET =
      List.of(
          "The farmer says the cattle market is strong this season.",
          "Wheat growers say rain has lifted the crop forecast.",
          "The minister says farmers will get drought relief.");
  private static final List<String> RAW =
      List.of(
          "lol my firefox keeps crashing when i open tabs",
          "Wheat prices rose, the farmer says.",
          "seeking tall fun guy who likes wine and movies",
          "the movie was boring and the plot made no sense");

  @Test
  void smoothedLogProbsFollowTheFormulaAndSumToOne() {
    NgramDistribution d = new NgramDistribution(new long[] {3, 0, 1, 0}, 4, 2);
    double[] lp = d.logProbs(0.5);
    assertEquals(Math.log(3.5 / 6.0), lp[0], 1e-12);
    assertEquals(Math.log(0.5 / 6.0), lp[1], 1e-12);
    double sum = 0;
    for (double v : lp) {
      sum += Math.exp(v);
    }
    assertEquals(1.0, sum, 1e-12);
    assertThrows(
        IllegalArgumentException.class, () -> new NgramDistribution(new long[] {1, 2}, 4, 1));
  }

  @Test
  void logWeightIsTheCountWeightedLogRatio() {
    DsirConfig c = new DsirConfig();
    c.buckets = 64; // small, so buckets collide and the count weighting matters
    c.smoothing = 0.3;
    DsirModel m = DsirModel.fit(c, TARGET, RAW);
    assertEquals(3, m.target().documents());
    assertEquals(4, m.raw().documents());
    double[] t = m.target().logProbs(c.smoothing);
    double[] r = m.raw().logProbs(c.smoothing);
    HashedNgramFeaturizer f = new HashedNgramFeaturizer(c);
    for (String text :
        List.of(
            "The farmer says rain is good for wheat, the farmer says.", "firefox crash lol", "")) {
      long[] counts = new long[c.buckets];
      f.addCounts(text, counts);
      double expected = 0;
      for (int b = 0; b < counts.length; b++) {
        expected += counts[b] * (t[b] - r[b]);
      }
      assertEquals(expected, m.logWeight(text), 1e-9, text);
    }
    assertTrue(
        m.logWeight("the farmer says the minister will help wheat growers")
            > m.logWeight("my firefox tabs keep crashing lol"));
  }

  @Test
  void saveAndLoadKeepEveryWeight(@TempDir Path dir) throws IOException {
    DsirConfig c = new DsirConfig();
    c.hashSeed = 42;
    c.smoothing = 2.0;
    DsirModel m = DsirModel.fit(c, TARGET, RAW);
    Path file = dir.resolve("m.json");
    m.save(file);
    DsirModel back = DsirModel.load(file);
    assertEquals(m.target(), back.target());
    assertEquals(m.raw(), back.raw());
    assertEquals(42, back.config().hashSeed);
    for (String s : RAW) {
      assertEquals(m.logWeight(s), back.logWeight(s), 0.0);
    }
    // a target-only model saves, loads, and refuses to score until a raw distribution is fitted
    DsirModel targetOnly = DsirModel.fit(c, TARGET, null);
    targetOnly.save(file);
    DsirModel loaded = DsirModel.load(file);
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> loaded.logWeight("x"));
    assertTrue(e.getMessage().contains("no raw distribution"), e.getMessage());
    assertEquals(
        m.logWeight("the farmer"), loaded.withRawFittedFrom(RAW).logWeight("the farmer"), 1e-12);

    Files.writeString(file, "{\"format\":\"something-else\"}");
    IOException bad = assertThrows(IOException.class, () -> DsirModel.load(file));
    assertTrue(bad.getMessage().contains("not a DSIR model"), bad.getMessage());
    Files.writeString(
        file,
        "{\"format\":\"winnow-dsir\",\"version\":1,\"config\":{\"buckets\":2,\"maxNgram\":2,"
            + "\"smoothing\":1.0,\"hashSeed\":0},\"target\":{\"documents\":1,\"total\":5,\"counts\":[1,2]}}");
    bad = assertThrows(IOException.class, () -> DsirModel.load(file));
    assertTrue(bad.getMessage().contains("total 5"), bad.getMessage());
  }
}
