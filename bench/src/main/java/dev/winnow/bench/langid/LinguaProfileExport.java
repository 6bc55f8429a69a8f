package dev.winnow.bench.langid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.winnow.selection.langid.LanguageModels;
import dev.winnow.selection.langid.LanguageProfile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds Winnow's built-in language model from the n-gram data of Lingua 1.2.2
 * (com.github.pemistahl:lingua, Apache 2.0; its jar is read as data, its detector is not called).
 *
 * <p>Lingua stores for each language the relative frequency of each letter and, for longer grams,
 * the conditional probability of the last letter given the others ({@code P(c | ab)}). The joint
 * frequency of a gram among the grams of its length is the chain product {@code P(a) · P(b | a) ·
 * P(c | ab)}; that is what a {@link LanguageProfile} counts. Each language keeps every unigram and
 * its {@code --bigrams} / {@code --trigrams} most frequent longer grams (pruning keeps the dense
 * scoring rows small; see {@code LanguageIdentifier}). Counts are the joint frequencies times
 * 10^12, rounded.
 *
 * <p>Not every Lingua language is exported ({@link #DROPPED}), and Indonesian's profile answers
 * {@code ms} ({@link #ANSWERS_AS}); the root README says why (accuracy measured on text that is not
 * the UDHR test set).
 *
 * <p>Run: {@code mvn -B -q -pl bench exec:exec
 * -Dbench.main=dev.winnow.bench.langid.LinguaProfileExport} with arguments {@code OUT.jsonl.gz
 * [bigrams] [trigrams]} in {@code -Dexec.args}; the output replaces {@code
 * selection/src/main/resources/dev/winnow/selection/langid/builtin-profiles.jsonl.gz}.
 */
public final class LinguaProfileExport {
  static final String[] CODES = {
    "af", "ar", "az", "be", "bg", "bn", "bs", "ca", "cs", "cy", "da", "de", "el", "en", "eo", "es",
    "et", "eu", "fa", "fi", "fr", "ga", "gu", "he", "hi", "hr", "hu", "hy", "id", "is", "it", "ja",
    "ka", "kk", "ko", "la", "lg", "lt", "lv", "mi", "mk", "mn", "mr", "ms", "nb", "nl", "nn", "pa",
    "pl", "pt", "ro", "ru", "sk", "sl", "sn", "so", "sq", "sr", "st", "sv", "sw", "ta", "te", "th",
    "tl", "tn", "tr", "ts", "uk", "ur", "vi", "xh", "yo", "zh", "zu"
  };

  /**
   * Lingua languages left out of the built-in model: Bosnian (its only UDHR text is Cyrillic, the
   * model's Bosnian is Latin and indistinguishable from Croatian at these gram lengths; Bosnian
   * text is answered {@code hr} or {@code sr}) and Punjabi (its only UDHR text is Shahmukhi, the
   * model's Punjabi is Gurmukhi; neither could be shown to reach 0.97).
   */
  static final String[] DROPPED = {"bs", "pa"};

  /**
   * Profiles kept under another language's code: Indonesian answers {@code ms}, ISO 639-1's code
   * for the Malay macrolanguage, which includes Indonesian. On text that is not UDHR (software
   * message catalogues) no variant told the two apart at 0.97, nor did Lingua itself; both profiles
   * stay, so both kinds of text score high for {@code ms}.
   */
  static final Map<String, String> ANSWERS_AS = Map.of("id", "ms");

  private static final double SCALE = 1e12;
  private static final ObjectMapper JSON = new ObjectMapper();

  private LinguaProfileExport() {}

  public static void main(String[] args) throws IOException {
    Path out = Path.of(args.length > 0 ? args[0] : "builtin-profiles.jsonl.gz");
    int bigrams = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    int trigrams = args.length > 2 ? Integer.parseInt(args[2]) : 3000;
    List<LanguageProfile> profiles = new ArrayList<>();
    for (String code : CODES) {
      if (List.of(DROPPED).contains(code)) {
        continue;
      }
      profiles.add(profile(code, bigrams, trigrams));
    }
    LanguageModels.write(profiles, out);
    System.out.println(
        "wrote "
            + profiles.size()
            + " profiles to "
            + out
            + " ("
            + bigrams
            + " bigrams, "
            + trigrams
            + " trigrams per language at most)");
  }

  static LanguageProfile profile(String code, int maxBigrams, int maxTrigrams) throws IOException {
    String answer = ANSWERS_AS.getOrDefault(code, code);
    Map<String, Double> uni = read(code, "unigrams");
    Map<String, Double> bi = read(code, "bigrams");
    Map<String, Double> tri = read(code, "trigrams");
    Map<String, Double> jointBi = new HashMap<>();
    bi.forEach(
        (g, p) -> {
          Double a = uni.get(g.substring(0, 1));
          if (a != null) {
            jointBi.put(g, a * p);
          }
        });
    Map<String, Double> jointTri = new HashMap<>();
    tri.forEach(
        (g, p) -> {
          Double ab = jointBi.get(g.substring(0, 2));
          if (ab != null) {
            jointTri.put(g, ab * p);
          }
        });
    Map<String, Long> counts = new TreeMap<>();
    long[] totals = new long[3];
    keep(uni, Integer.MAX_VALUE, counts);
    keep(jointBi, maxBigrams, counts);
    keep(jointTri, maxTrigrams, counts);
    // totals: the joint frequencies of each length sum to 1 over all grams (pruned ones included)
    totals[0] = sum(uni);
    totals[1] = sum(jointBi);
    totals[2] = jointTri.isEmpty() ? totals[1] : sum(jointTri);
    return new LanguageProfile(answer, totals, counts);
  }

  private static long sum(Map<String, Double> m) {
    return Math.max(
        1, Math.round(m.values().stream().mapToDouble(Double::doubleValue).sum() * SCALE));
  }

  private static void keep(Map<String, Double> joint, int max, Map<String, Long> counts) {
    joint.entrySet().stream()
        .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()))
        .limit(max)
        .forEach(
            e -> {
              long c = Math.round(e.getValue() * SCALE);
              if (c > 0) {
                counts.merge(e.getKey(), c, Long::sum);
              }
            });
  }

  /** Lingua's {@code {"ngrams": {"num/den": "g1 g2 ..."}}} as gram → probability. */
  private static Map<String, Double> read(String code, String kind) throws IOException {
    String resource = "/language-models/" + code + "/" + kind + ".json";
    Map<String, Double> out = new HashMap<>();
    try (InputStream in = LinguaProfileExport.class.getResourceAsStream(resource)) {
      if (in == null) {
        return out; // Chinese and Japanese have no trigram file
      }
      JsonNode ngrams = JSON.readTree(in).path("ngrams");
      ngrams
          .fields()
          .forEachRemaining(
              e -> {
                String[] frac = e.getKey().split("/");
                double p = Double.parseDouble(frac[0]) / Double.parseDouble(frac[1]);
                for (String g : e.getValue().asText().split(" ")) {
                  if (!g.isEmpty()) {
                    out.put(g.toLowerCase(java.util.Locale.ROOT), p);
                  }
                }
              });
    }
    return out;
  }
}
