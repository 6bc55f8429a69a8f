package dev.winnow.prompt.selective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.prompt.ReferenceCases;
import dev.winnow.prompt.model.ProxyLm;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SelfInformationTest {
  private static ProxyLm lm;
  private static int[] ids;

  @BeforeAll
  static void load() {
    lm = ReferenceCases.proxyMini();
    // a 1,500-token speech from the reference cases: longer than the model's 1,024 positions
    ids = lm.encode(ReferenceCases.load().get(12).request().context.get(0));
  }

  @AfterAll
  static void close() {
    lm.close();
  }

  @Test
  void withinOneWindowItIsTheModelsLossAndTheFirstTokenGetsTheMean() {
    int[] head = Arrays.copyOf(ids, 300);
    double[] info = new SelfInformation(lm).of(head);
    float[] loss = lm.losses(head, head.length);
    double sum = 0;
    for (int t = 1; t < head.length; t++) {
      assertEquals(loss[t - 1], info[t], 1e-6, "token " + t);
      sum += loss[t - 1];
    }
    assertEquals(sum / (head.length - 1), info[0], 1e-6);
    assertEquals(0, new SelfInformation(lm).of(new int[] {ids[0]})[0]);
  }

  @Test
  void longTextsAreScoredInHalfOverlappingWindows() {
    assertTrue(
        ids.length > lm.maxPositions(),
        "the text must be longer than the model's context: " + ids.length);
    double[] info = new SelfInformation(lm).of(ids);
    int w = lm.maxPositions();
    float[] first = lm.losses(ids, w);
    assertEquals(first[w - 2], info[w - 1], 1e-6, "last token of the first window");
    // token w is predicted by the second window, which starts at w/2
    float[] second = lm.losses(Arrays.copyOfRange(ids, w / 2, w / 2 + w), w);
    assertEquals(second[w / 2 - 1], info[w], 1e-6);
    assertTrue(Math.abs(first[w / 2 - 1] - info[w]) > 0, "not the context-free loss");
    for (double v : info) {
      assertTrue(Double.isFinite(v) && v >= 0);
    }
  }

  @Test
  void smallWindowsCoverEveryTokenOnce() {
    int[] part = Arrays.copyOf(ids, 200);
    double[] info = new SelfInformation(lm, 64).of(part);
    // windows start at 0, 32, 64, 96, 128, 160: token 100 is first reached by the window at 64
    // (ends 128)
    float[] window = lm.losses(Arrays.copyOfRange(part, 64, 128), 64);
    assertEquals(window[100 - 64 - 1], info[100], 1e-6);
    float[] last = lm.losses(Arrays.copyOfRange(part, 160, 200), 40);
    assertEquals(last[199 - 160 - 1], info[199], 1e-6);
    assertThrows(
        IllegalArgumentException.class, () -> new SelfInformation(lm, lm.maxPositions() + 1));
  }
}
