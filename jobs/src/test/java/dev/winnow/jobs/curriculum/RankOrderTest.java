package dev.winnow.jobs.curriculum;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RankOrderTest {
  record E(int group, double difficulty, String id, String origin) {}

  /** The string key sorts exactly as (group, difficulty, id, origin) compared field by field. */
  @Test
  void stringKeyOrderIsFieldOrder() {
    Random rnd = new Random(3);
    double[] special = {
      0.0,
      -0.0,
      1.0,
      -1.0,
      Double.MAX_VALUE,
      -Double.MAX_VALUE,
      Double.MIN_VALUE,
      Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY,
      1e-300,
      -1e-300,
      7.25
    };
    String[] ids = {"a", "ab", "b", "", "a b", "Z", "é", "a\u0001"};
    List<E> all = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      double d =
          i % 3 == 0
              ? special[rnd.nextInt(special.length)]
              : (rnd.nextDouble() - 0.5) * Math.pow(10, rnd.nextInt(20) - 10);
      all.add(new E(rnd.nextInt(3), d, ids[rnd.nextInt(ids.length)], "p" + rnd.nextInt(4)));
    }
    List<E> byFields = new ArrayList<>(all);
    byFields.sort(
        Comparator.comparingInt(E::group)
            .thenComparing(E::difficulty, Double::compare)
            .thenComparing(E::id)
            .thenComparing(E::origin));
    List<E> byKey = new ArrayList<>(all);
    byKey.sort(
        Comparator.comparing(e -> RankOrder.key(e.group(), e.difficulty(), e.id(), e.origin())));
    assertEquals(byFields, byKey);
  }
}
