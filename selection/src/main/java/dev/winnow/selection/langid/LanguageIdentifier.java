package dev.winnow.selection.langid;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Language identification by naive Bayes over character 1- to 3-grams ({@link GramText}) scored
 * against {@link LanguageProfile}s: the language {@code l} maximizing {@code Σ_g log P(g | l)} over
 * every gram {@code g} of the text, with {@code P(g | l) = count(g, l) / total_n(l)} for a gram of
 * length {@code n} in the profile and, for one the profile lacks, half the smallest count of that
 * length in the profile over the total (profiles are pruned of rare grams, so an unseen gram is
 * rarer than any kept one). Deterministic: the same text always gets the same answer (langdetect
 * samples grams at random).
 *
 * <p>One rule beside the model: a text whose best language is Japanese but that has no kana (U+3040
 * to U+30FF) in the characters read gets the best other language (Chinese, for Han text): the
 * profiles of both are mostly Han characters, and Japanese text almost always has kana.
 *
 * <p>A text none of whose grams is in any profile (a script the model does not have) is {@link
 * LanguageGuess#UNKNOWN} with score 0, as a text without letters is.
 *
 * <p>The score is a tempered posterior: {@code softmax_l(τ · (log L_l − log L_max) / G)} with
 * {@code G} the number of grams and {@code τ} = {@value #TEMPERATURE_GRAMS}, i.e. the per-gram
 * log-likelihood margin counted as if the text were {@code τ} independent grams. Overlapping grams
 * are far from independent, and the plain posterior is 1.0 for nearly every text; the tempered one
 * does not grow with length and is low when the best languages are close (related languages, mixed
 * or non-linguistic text), which is what a {@code minScore} should cut.
 *
 * <p>Speed: the grams of all profiles are in one open-addressing table keyed by the packed gram,
 * each with a dense row of {@code log P − floor} for every language (0 where the profile lacks the
 * gram); the floors are added once per document from the gram counts per length. A document costs
 * one table probe per gram plus one vectorized row addition.
 *
 * <p>Immutable and thread-safe.
 */
public final class LanguageIdentifier implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  /** τ of the tempered posterior (see the class comment). */
  public static final double TEMPERATURE_GRAMS = 30;

  private final String[] labels;
  private final float[][] floors; // [order-1][lang]
  private final long[] keys; // 0 = empty slot
  private final int[] rowOf; // per slot: the row's offset in rows
  private final float[] rows; // per gram: log P(g | l) - floor(l) for each language l, 0 if absent
  private final int mask;
  private final int width;
  private final List<String> languages;

  /** Compiles {@code profiles}; profiles with the same code are kept apart but answer that code. */
  public LanguageIdentifier(List<LanguageProfile> profiles) {
    if (profiles == null || profiles.isEmpty()) {
      throw new IllegalArgumentException("language identification needs at least one profile");
    }
    int n = profiles.size();
    width = n;
    labels = new String[n];
    floors = new float[GramText.MAX_ORDER][n];
    Map<Long, Integer> rowIndex = new java.util.HashMap<>();
    for (int l = 0; l < n; l++) {
      LanguageProfile p = profiles.get(l);
      labels[l] = p.lang();
      long[] min = new long[GramText.MAX_ORDER];
      Arrays.fill(min, Long.MAX_VALUE);
      for (Map.Entry<String, Long> e : p.counts().entrySet()) {
        int o = e.getKey().length() - 1;
        if (e.getValue() > 0) {
          min[o] = Math.min(min[o], e.getValue());
        }
        rowIndex.putIfAbsent(GramText.pack(e.getKey()), rowIndex.size());
      }
      for (int o = 0; o < GramText.MAX_ORDER; o++) {
        double m = min[o] == Long.MAX_VALUE ? 1 : min[o];
        floors[o][l] = (float) Math.log(0.5 * m / p.totals()[o]);
      }
    }
    // One floor per gram length for all languages, the lowest: a language whose profile was pruned
    // harder (a higher smallest count) must not pay less for a gram it lacks, or it wins every text
    // in a script it does not know.
    for (int o = 0; o < GramText.MAX_ORDER; o++) {
      float f = Float.MAX_VALUE;
      for (int l = 0; l < n; l++) {
        f = Math.min(f, floors[o][l]);
      }
      Arrays.fill(floors[o], f);
    }
    int cap = Integer.highestOneBit(Math.max(16, rowIndex.size() * 2 - 1)) << 1;
    mask = cap - 1;
    keys = new long[cap];
    rowOf = new int[cap];
    rows = new float[rowIndex.size() * n];
    for (Map.Entry<Long, Integer> e : rowIndex.entrySet()) {
      int slot = slot(e.getKey());
      while (keys[slot] != 0) {
        slot = (slot + 1) & mask;
      }
      keys[slot] = e.getKey();
      rowOf[slot] = e.getValue() * n;
    }
    for (int l = 0; l < n; l++) {
      LanguageProfile p = profiles.get(l);
      for (Map.Entry<String, Long> e : p.counts().entrySet()) {
        if (e.getValue() <= 0) {
          continue;
        }
        int o = e.getKey().length() - 1;
        int row = rowIndex.get(GramText.pack(e.getKey())) * n;
        rows[row + l] = (float) (Math.log((double) e.getValue() / p.totals()[o]) - floors[o][l]);
      }
    }
    languages = List.copyOf(new TreeSet<>(Arrays.asList(labels)));
  }

  private int slot(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h >>> 40) & mask;
  }

  /** The language codes this identifier can answer, sorted. */
  public List<String> languages() {
    return languages;
  }

  /** {@link #detect(CharSequence, int)} over the whole text. */
  public LanguageGuess detect(CharSequence text) {
    return detect(text, Integer.MAX_VALUE);
  }

  /**
   * The most likely language of the first {@code maxChars} characters of {@code text}, or {@link
   * LanguageGuess#UNKNOWN} with score 0 when they hold no letter.
   */
  public LanguageGuess detect(CharSequence text, int maxChars) {
    int n = width;
    float[] score = new float[n];
    int[] perOrder = new int[GramText.MAX_ORDER];
    // GramText.grams inlined: the per-gram lambda call kept the row loop from being vectorized
    int end = Math.min(text.length(), maxChars);
    char p2 = 0;
    char p1 = 0;
    boolean kana = false;
    int known = 0; // grams found in some profile
    for (int i = 0; i < end; i++) {
      char raw = text.charAt(i);
      kana |= raw >= '\u3040' && raw <= '\u30FF';
      char c = GramText.normalize(raw);
      if (c == 0) {
        p2 = 0;
        p1 = 0;
        continue;
      }
      known += add(GramText.pack(c), score);
      perOrder[0]++;
      if (p1 != 0) {
        known += add(GramText.pack(p1, c), score);
        perOrder[1]++;
        if (p2 != 0) {
          known += add(GramText.pack(p2, p1, c), score);
          perOrder[2]++;
        }
      }
      p2 = p1;
      p1 = c;
    }
    int grams = perOrder[0] + perOrder[1] + perOrder[2];
    if (grams == 0 || known == 0) {
      // no letter, or only grams no profile has (a script the model lacks): every language ties
      return new LanguageGuess(LanguageGuess.UNKNOWN, 0);
    }
    int best = 0;
    double[] total = new double[n];
    for (int l = 0; l < n; l++) {
      total[l] =
          score[l]
              + (double) perOrder[0] * floors[0][l]
              + (double) perOrder[1] * floors[1][l]
              + (double) perOrder[2] * floors[2][l];
      if (total[l] > total[best]) {
        best = l;
      }
    }
    if (!kana && labels[best].equals("ja")) {
      // Han characters alone: Japanese text almost always has kana, Chinese never does
      best = bestOther(total, "ja");
    }
    double scale = TEMPERATURE_GRAMS / grams;
    double sum = 0;
    double mine = 0;
    for (int l = 0; l < n; l++) {
      double w = Math.exp((total[l] - total[best]) * scale);
      sum += w;
      if (labels[l].equals(labels[best])) {
        mine += w;
      }
    }
    return new LanguageGuess(labels[best], mine / sum);
  }

  private int bestOther(double[] total, String not) {
    int best = -1;
    for (int l = 0; l < total.length; l++) {
      if (!labels[l].equals(not) && (best < 0 || total[l] > total[best])) {
        best = l;
      }
    }
    return best < 0 ? 0 : best;
  }

  /**
   * Adds the gram's row to {@code score} and returns 1; a gram no profile has adds nothing (its
   * floors do) and returns 0.
   */
  private int add(long gram, float[] score) {
    int slot = slot(gram);
    long k;
    while ((k = keys[slot]) != 0) {
      if (k == gram) {
        // one dense row per gram: a plain loop over the languages that the JIT vectorizes,
        // cheaper than a sparse list of the languages that know the gram
        int row = rowOf[slot];
        for (int l = 0; l < score.length; l++) {
          score[l] += rows[row + l];
        }
        return 1;
      }
      slot = (slot + 1) & mask;
    }
    return 0;
  }

  /** Heap bytes of the compiled model (the table and its entries), for the README's figure. */
  public long modelBytes() {
    return keys.length * (8L + 4) + rows.length * 4L;
  }
}
