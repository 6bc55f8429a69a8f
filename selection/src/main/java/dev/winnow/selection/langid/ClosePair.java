package dev.winnow.selection.langid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * A second stage for two languages that the character 1- to 3-gram model tells apart badly
 * (Indonesian and Malay share most of their short grams; their differences are in whole-word
 * spellings such as {@code bahwa / bahawa}, {@code karena / kerana}): when the first stage's best
 * language is one of the two, the text's 4-grams inside words ({@link GramText}'s words) decide
 * between them by their conditional log-probabilities {@code Σ log P(d | abc)}, a 4-gram that
 * neither language's table holds costing both the same {@code floor}, and one that only one holds
 * costing the other the floor.
 *
 * <p>The pair's tables come from the same source as the built-in profiles (Lingua 1.2.2's 4-gram
 * models, exported by {@code bench/.../langid/LinguaProfileExport}). JSON: {@code {"langs": ["id",
 * "ms"], "floor": -14.6, "logp": {"id": {"abcd": -1.2, ..}, "ms": {..}}}}.
 *
 * <p>Immutable and thread-safe.
 */
public final class ClosePair implements java.io.Serializable {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String first;
  private final String second;
  private final float floor;
  private final long[] keys; // packed 4-grams, 0 = empty
  private final float[] logp; // per slot: [first, second]
  private final int mask;

  /**
   * The pair {@code first}, {@code second} with their 4-gram tables ({@code gram → log P(last |
   * first three)}) and the log-probability of a 4-gram a table lacks.
   */
  public ClosePair(
      String first,
      String second,
      Map<String, Double> firstLogp,
      Map<String, Double> secondLogp,
      double floor) {
    if (first == null || second == null || first.equals(second)) {
      throw new IllegalArgumentException(
          "a close pair needs two different language codes, got " + first + " and " + second);
    }
    if (!(floor < 0) || Double.isInfinite(floor)) {
      throw new IllegalArgumentException(
          "close pair " + first + "/" + second + ": floor must be a negative log-probability");
    }
    this.first = first;
    this.second = second;
    this.floor = (float) floor;
    java.util.Set<Long> all = new java.util.HashSet<>();
    for (String g : firstLogp.keySet()) {
      all.add(pack(g, first));
    }
    for (String g : secondLogp.keySet()) {
      all.add(pack(g, second));
    }
    int cap = Integer.highestOneBit(Math.max(16, all.size() * 2 - 1)) << 1;
    mask = cap - 1;
    keys = new long[cap];
    logp = new float[cap * 2];
    java.util.Arrays.fill(logp, this.floor);
    put(firstLogp, 0);
    put(secondLogp, 1);
  }

  private static long pack(String g, String lang) {
    if (g.length() != 4) {
      throw new IllegalArgumentException(
          "close pair table of " + lang + ": \"" + g + "\" is not a 4-gram");
    }
    long k = 0;
    for (int i = 0; i < 4; i++) {
      char c = GramText.normalize(g.charAt(i));
      if (c == 0) {
        throw new IllegalArgumentException(
            "close pair table of " + lang + ": \"" + g + "\" holds a non-letter");
      }
      k = (k << 16) | c;
    }
    return k;
  }

  private void put(Map<String, Double> table, int side) {
    for (Map.Entry<String, Double> e : table.entrySet()) {
      long k = pack(e.getKey(), side == 0 ? first : second);
      int slot = slot(k);
      while (keys[slot] != 0 && keys[slot] != k) {
        slot = (slot + 1) & mask;
      }
      keys[slot] = k;
      logp[2 * slot + side] = (float) Math.min(0, e.getValue());
    }
  }

  private int slot(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h >>> 40) & mask;
  }

  /** The first language of the pair. */
  public String first() {
    return first;
  }

  /** The second language of the pair. */
  public String second() {
    return second;
  }

  /** Whether {@code lang} is one of the pair. */
  public boolean covers(String lang) {
    return first.equals(lang) || second.equals(lang);
  }

  /**
   * {@code log L(first) − log L(second)} over the 4-grams of the first {@code maxChars} characters
   * of {@code text}, and in {@code grams[0]} their number (0: no 4-gram, no evidence).
   */
  double margin(CharSequence text, int maxChars, int[] grams) {
    int end = Math.min(text.length(), maxChars);
    long window = 0;
    int run = 0;
    double diff = 0;
    int n = 0;
    for (int i = 0; i < end; i++) {
      char c = GramText.normalize(text.charAt(i));
      if (c == 0) {
        run = 0;
        window = 0;
        continue;
      }
      window = (window << 16) | c;
      if (++run >= 4) {
        int slot = slot(window);
        long k;
        double a = floor;
        double b = floor;
        while ((k = keys[slot]) != 0) {
          if (k == window) {
            a = logp[2 * slot];
            b = logp[2 * slot + 1];
            break;
          }
          slot = (slot + 1) & mask;
        }
        diff += a - b;
        n++;
      }
    }
    grams[0] = n;
    return diff;
  }

  /** Reads the JSON form (see the class comment). */
  public static ClosePair fromJson(JsonNode node) {
    JsonNode langs = node.path("langs");
    JsonNode tables = node.path("logp");
    if (!langs.isArray() || langs.size() != 2 || !tables.isObject() || !node.has("floor")) {
      throw new IllegalArgumentException(
          "not a close pair (needs \"langs\" [a, b], \"floor\" and \"logp\" {a: {gram: logp}, b:"
              + " ..})");
    }
    String a = langs.get(0).asText();
    String b = langs.get(1).asText();
    return new ClosePair(
        a, b, table(tables.path(a), a), table(tables.path(b), b), node.get("floor").asDouble());
  }

  private static Map<String, Double> table(JsonNode t, String lang) {
    if (!t.isObject()) {
      throw new IllegalArgumentException("close pair without a 4-gram table for " + lang);
    }
    Map<String, Double> out = new java.util.HashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = t.fields();
    while (it.hasNext()) {
      var e = it.next();
      out.put(e.getKey(), e.getValue().asDouble());
    }
    return out;
  }

  /** The JSON form of a pair's tables (for the model export). */
  public static ObjectNode toJson(
      String a, String b, Map<String, Double> aLogp, Map<String, Double> bLogp, double floor) {
    ObjectNode o = JSON.createObjectNode();
    o.putArray("langs").add(a).add(b);
    o.put("floor", floor);
    ObjectNode t = o.putObject("logp");
    ObjectNode ta = t.putObject(a);
    new java.util.TreeMap<>(aLogp).forEach((g, p) -> ta.put(g, (float) (double) p));
    ObjectNode tb = t.putObject(b);
    new java.util.TreeMap<>(bLogp).forEach((g, p) -> tb.put(g, (float) (double) p));
    return o;
  }

  /** Heap bytes of the tables. */
  long bytes() {
    return keys.length * 8L + logp.length * 4L;
  }
}
