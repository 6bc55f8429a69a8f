package dev.winnow.selection.langid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * One language's character n-gram counts: how often each gram of 1 to 3 characters ({@link
 * GramText}) occurred in its training text, and how many grams of each length there were in all.
 *
 * <p>The JSON form is the layout of langdetect's profiles: {@code {"name": "en", "freq": {"th":
 * 123, ..}, "n_words": [n1, n2, n3]}}. Grams are lower-cased on reading (counts of case variants
 * are added), as the detector lower-cases text.
 *
 * @param lang the ISO 639-1 code where the language has one, else ISO 639-3
 * @param totals grams counted per length: {@code totals[0]} single characters .. {@code totals[2]}
 *     trigrams
 * @param counts count per gram
 */
public record LanguageProfile(String lang, long[] totals, Map<String, Long> counts) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public LanguageProfile {
    if (lang == null || lang.isBlank()) {
      throw new IllegalArgumentException("language profile without a language code");
    }
    if (totals == null || totals.length != GramText.MAX_ORDER) {
      throw new IllegalArgumentException(
          "language profile " + lang + ": n_words must hold 3 totals (1-, 2- and 3-grams)");
    }
    for (int i = 0; i < totals.length; i++) {
      if (totals[i] <= 0) {
        throw new IllegalArgumentException(
            "language profile "
                + lang
                + ": no "
                + (i + 1)
                + "-grams counted (train on more text of this language)");
      }
    }
    counts = Map.copyOf(counts);
  }

  /** Reads langdetect's profile JSON; {@code lang} overrides its {@code name} when not null. */
  public static LanguageProfile fromJson(JsonNode node, String lang) {
    String code = lang != null ? lang : node.path("name").asText(null);
    JsonNode freq = node.path("freq");
    JsonNode nWords = node.path("n_words");
    if (!freq.isObject() || !nWords.isArray() || nWords.size() != GramText.MAX_ORDER) {
      throw new IllegalArgumentException(
          "not a language profile (needs \"freq\" {gram: count} and \"n_words\" [n1, n2, n3]): "
              + code);
    }
    Map<String, Long> counts = new TreeMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = freq.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String gram = e.getKey().toLowerCase(java.util.Locale.ROOT);
      if (gram.isEmpty() || gram.length() > GramText.MAX_ORDER || gram.isBlank()) {
        continue;
      }
      counts.merge(gram, e.getValue().asLong(), Long::sum);
    }
    long[] totals = new long[GramText.MAX_ORDER];
    for (int i = 0; i < totals.length; i++) {
      totals[i] = nWords.get(i).asLong();
    }
    return new LanguageProfile(code, totals, counts);
  }

  /** The profile in langdetect's JSON format, {@code name} being the language code. */
  public ObjectNode toJson() {
    ObjectNode o = JSON.createObjectNode();
    o.put("name", lang);
    ObjectNode freq = o.putObject("freq");
    new TreeMap<>(counts).forEach(freq::put);
    var n = o.putArray("n_words");
    for (long t : totals) {
      n.add(t);
    }
    return o;
  }
}
