package dev.winnow.selection.dsir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.openhft.hashing.LongHashFunction;
import org.junit.jupiter.api.Test;

class HashedNgramFeaturizerTest {

  private static List<Integer> features(HashedNgramFeaturizer f, String text) {
    List<Integer> out = new ArrayList<>();
    int n = f.forEachFeature(text, out::add);
    assertEquals(out.size(), n);
    return out;
  }

  @Test
  void unigramsAndBigramsOfLowercasedWordsHashedAsTheReferenceStrings() {
    DsirConfig c = new DsirConfig();
    HashedNgramFeaturizer f = new HashedNgramFeaturizer(c);
    LongHashFunction h = LongHashFunction.xx3(c.hashSeed);
    List<Integer> expected = new ArrayList<>();
    String[] words = {"the", "cattle", "farmer", "says", "ça", "va"};
    for (int i = 0; i < words.length; i++) {
      expected.add((int) Long.remainderUnsigned(h.hashChars(words[i]), c.buckets));
      if (i + 1 < words.length) {
        expected.add(
            (int) Long.remainderUnsigned(h.hashChars(words[i] + " " + words[i + 1]), c.buckets));
      }
    }
    assertEquals(expected, features(f, "  The CATTLE-farmer, says: \"Ça va!\"\n"));
    assertEquals(11, expected.size());
  }

  @Test
  void caseSpacingAndPunctuationDoNotChangeFeaturesButWordOrderDoes() {
    HashedNgramFeaturizer f = new HashedNgramFeaturizer(new DsirConfig());
    assertEquals(features(f, "hello world again"), features(f, "Hello ,  WORLD\t again ."));
    List<Integer> forward = features(f, "alpha beta gamma");
    List<Integer> backward = features(f, "gamma beta alpha");
    assertEquals(5, forward.size());
    assertNotEquals(
        forward.stream().sorted().toList(),
        backward.stream().sorted().toList(),
        "bigrams must see word order");
    assertEquals(List.of(), features(f, " ,.;!? "));
  }

  @Test
  void unigramOnlyConfigAndBucketRange() {
    DsirConfig c = new DsirConfig();
    c.maxNgram = 1;
    c.buckets = 7;
    HashedNgramFeaturizer f = new HashedNgramFeaturizer(c);
    List<Integer> fs = features(f, "one two three four five six seven eight nine ten");
    assertEquals(10, fs.size());
    assertTrue(fs.stream().allMatch(b -> b >= 0 && b < 7), fs.toString());
    assertEquals(features(f, "one"), fs.subList(0, 1));
  }

  @Test
  void combiningMarksStayInsideWords() {
    HashedNgramFeaturizer f = new HashedNgramFeaturizer(new DsirConfig());
    assertEquals(
        1, f.countWords("नमस्ते"), "Devanagari virama and vowel signs are marks, not separators");
    assertEquals(3, f.countWords("a😀b c"), "emoji separate words");
  }

  @Test
  void badConfigsNameTheField() {
    DsirConfig c = new DsirConfig();
    c.smoothing = 0;
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> c.validate("selection.dsir"));
    assertTrue(e.getMessage().startsWith("selection.dsir.smoothing = 0.0"), e.getMessage());
    DsirConfig d = new DsirConfig();
    d.maxNgram = 3;
    assertThrows(IllegalArgumentException.class, () -> new HashedNgramFeaturizer(d));
    DsirConfig b = new DsirConfig();
    b.buckets = 0;
    assertThrows(IllegalArgumentException.class, () -> b.validate("x"));
  }
}
