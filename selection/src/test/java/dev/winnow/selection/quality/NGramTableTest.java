package dev.winnow.selection.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The table's counts against a map of space-joined n-gram strings (what datatrove counts), for
 * every n-gram size the Gopher rules use, visiting positions in order (the rolling hash) and with
 * jumps and repeated look-ups of one position (the recomputed hash).
 */
class NGramTableTest {
  private static final String[] VOCABULARY = {
    "the", "a", "of", "river", "rose", "bridge", "town", "and", "news", "council", "road", "school"
  };

  @Test
  void countsEqualThoseOfJoinedStringsInOrderAndWithJumps() {
    SplittableRandom r = new SplittableRandom(7);
    for (int doc = 0; doc < 200; doc++) {
      String[] words = new String[1 + r.nextInt(400)];
      for (int i = 0; i < words.length; i++) {
        // a small vocabulary and copied stretches: many repeats and hash-slot collisions
        words[i] =
            i > 20 && r.nextInt(4) == 0
                ? words[i - 1 - r.nextInt(20)]
                : VOCABULARY[r.nextInt(VOCABULARY.length)];
      }
      NGramTable table = new NGramTable(words);
      for (int n = 2; n <= 10; n++) {
        table.reset(n);
        Map<String, Integer> expected = new HashMap<>();
        int i = 0;
        while (i + n <= words.length) {
          String gram = String.join(" ", java.util.Arrays.copyOfRange(words, i, i + n));
          boolean seen = expected.containsKey(gram);
          assertEquals(seen, table.contains(i), "contains, n=" + n + " at " + i);
          int slot = table.add(i);
          expected.merge(gram, 1, Integer::sum);
          assertEquals(expected.get(gram), table.count(slot), "count, n=" + n + " at " + i);
          String first =
              String.join(
                  " ",
                  java.util.Arrays.copyOfRange(
                      words, table.firstStart(slot), table.firstStart(slot) + n));
          assertEquals(gram, first, "first occurrence, n=" + n + " at " + i);
          i += r.nextInt(5) == 0 ? 1 + r.nextInt(n) : 1; // sometimes jump, as after a repeat
        }
      }
    }
  }
}
