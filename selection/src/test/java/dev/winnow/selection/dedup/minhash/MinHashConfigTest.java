package dev.winnow.selection.dedup.minhash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

class MinHashConfigTest {

  @Test
  void defaultsAreTheDatatrovePresetAtThreshold08() {
    MinHashConfig c = new MinHashConfig();
    assertEquals("datatrove", c.preset);
    assertEquals(MinHashConfig.ShingleKind.WORD, c.shingle);
    assertEquals(5, c.n);
    assertEquals(14, c.bands);
    assertEquals(8, c.rows);
    assertEquals(0.8, c.threshold);
    assertEquals(112, c.numPermutations());
    c.validate("x");
  }

  @Test
  void nemoPreset() {
    MinHashConfig c = MinHashConfig.ofPreset("NeMo");
    assertEquals("nemo", c.preset);
    assertEquals(MinHashConfig.ShingleKind.CHAR, c.shingle);
    assertEquals(24, c.n);
    assertEquals(20, c.bands);
    assertEquals(13, c.rows);
  }

  @Test
  void unknownPresetNamesTheChoices() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> MinHashConfig.ofPreset("fast"));
    assertTrue(
        e.getMessage().contains("'fast'")
            && e.getMessage().contains("datatrove")
            && e.getMessage().contains("nemo"),
        e.getMessage());
  }

  @Test
  void detectionCurve() {
    MinHashConfig c = MinHashConfig.datatrove();
    assertEquals(1 - Math.pow(1 - Math.pow(0.8, 8), 14), c.detectionProbability(0.8), 1e-12);
    assertEquals(0.0, c.detectionProbability(0.0), 1e-12);
    assertEquals(1.0, c.detectionProbability(1.0), 1e-12);
    assertEquals(Math.pow(1.0 / 14, 1.0 / 8), c.curveMidpoint(), 1e-12);
    // Near the midpoint the curve is close to 1/2.
    assertEquals(0.5, c.detectionProbability(c.curveMidpoint()), 0.15);
  }

  @Test
  void validationNamesPathValueAndRange() {
    MinHashConfig c = new MinHashConfig();
    c.threshold = 1.5;
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> c.validate("curation.nearDedup"));
    assertEquals(
        "illegal curation.nearDedup.threshold value 1.5: must be in (0, 1], e.g. 0.8",
        e.getMessage());

    MinHashConfig d = new MinHashConfig();
    d.rows = 0;
    e = assertThrows(IllegalArgumentException.class, () -> d.validate("nd"));
    assertEquals("illegal nd.rows value 0: must be in [1, 1000]", e.getMessage());

    MinHashConfig f = new MinHashConfig();
    f.bands = 100;
    f.rows = 100;
    e = assertThrows(IllegalArgumentException.class, () -> f.validate("nd"));
    assertTrue(e.getMessage().startsWith("nd.bands * rows = 10000"), e.getMessage());

    MinHashConfig g = new MinHashConfig();
    g.maxDocsPerBucket = 0;
    e = assertThrows(IllegalArgumentException.class, () -> g.validate(""));
    assertEquals("illegal maxDocsPerBucket value 0: must be in [1, 1000000]", e.getMessage());

    MinHashConfig ttl = new MinHashConfig();
    ttl.stateTtlHours = -1;
    e = assertThrows(IllegalArgumentException.class, () -> ttl.validate("nd"));
    assertEquals(
        "illegal nd.stateTtlHours value -1: must be in [0, 87600] (0 = no time-based retention)",
        e.getMessage());

    MinHashConfig h = new MinHashConfig();
    h.threshold = Double.NaN;
    assertThrows(IllegalArgumentException.class, () -> h.validate("nd"));
    h.threshold = 0.8;
    h.shingle = null;
    e = assertThrows(IllegalArgumentException.class, () -> h.validate("nd"));
    assertEquals("nd.shingle is missing: must be WORD or CHAR", e.getMessage());
  }

  @Test
  void isJavaSerializable() throws Exception {
    MinHashConfig c = MinHashConfig.nemo();
    c.threshold = 0.7;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(c);
    }
    MinHashConfig back =
        (MinHashConfig)
            new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray())).readObject();
    assertEquals(c.toString(), back.toString());
  }
}
