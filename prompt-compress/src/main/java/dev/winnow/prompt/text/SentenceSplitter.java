package dev.winnow.prompt.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Splits text into sentences that, concatenated, give the text back: the whitespace after a
 * sentence belongs to it, as after LLMLingua's {@code sync_sentence} re-aligns NLTK's sentences
 * to the original text.
 *
 * <p>A rule-based approximation of NLTK's Punkt {@code sent_tokenize} for English; it is
 * <b>not</b> byte-identical to Punkt (which also learns abbreviations, collocations and
 * orthographic statistics from a corpus). A sentence ends:
 *
 * <ul>
 *   <li>after a run of {@code . ! ?} and any closing quotes or brackets, followed by whitespace and
 *       a character that may start a sentence: an upper-case or title-case letter, a letter of a
 *       script without case, a digit, or an opening quote or bracket. A lone period does not end a
 *       sentence after a known abbreviation ({@link #ABBREVIATIONS}: "Mr.", "Dr.", "etc."), a
 *       single-letter initial ("J. Smith") or a dotted acronym ("U.S.", "e.g.");</li>
 *   <li>after a CJK full stop, exclamation or question mark ({@code 。！？}) and any closing
 *       brackets, whatever follows (Punkt itself does not split there).</li>
 * </ul>
 *
 * <p>Line breaks alone never end a sentence, as with Punkt. Leading whitespace of the text stays
 * with the first sentence.
 */
public final class SentenceSplitter {
    /**
     * Lower-case abbreviations, without their final period, after which a period does not end a
     * sentence. Abbreviations that are also common words ("no", "sat", "sun", "wed", "mar", "co")
     * are left out: a sentence ending in such a word is more common than the abbreviation.
     */
    public static final Set<String> ABBREVIATIONS = Set.of(
            "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "ft", "messrs", "mme", "mlle",
            "rev", "hon", "gen", "gov", "sen", "rep", "pres", "col", "lt", "maj", "sgt", "capt", "cmdr", "adm",
            "vs", "etc", "al", "approx", "cf", "fig", "figs", "vol", "vols", "eds", "pp",
            "dept", "inc", "ltd", "corp", "bros", "assn", "univ", "ave", "blvd",
            "jan", "feb", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "tues", "thurs");

    private static final String TERMINATORS = ".!?";
    private static final String CJK_TERMINATORS = "。！？";
    private static final String CLOSERS = "\"')]}»”’」』）】》";
    private static final String OPENERS = "\"'([{«“‘「『（【《";

    /** The sentences of {@code text}; their concatenation is {@code text}. Empty text has none. */
    public List<String> split(String text) {
        List<String> out = new ArrayList<>();
        int[] starts = starts(text);
        for (int i = 0; i < starts.length; i++) {
            out.add(text.substring(starts[i], i + 1 < starts.length ? starts[i + 1] : text.length()));
        }
        return out;
    }

    /** Where each sentence starts: 0 first, then strictly increasing; empty for empty text. */
    public int[] starts(String text) {
        if (text.isEmpty()) {
            return new int[0];
        }
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        int n = text.length();
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            boolean cjk = CJK_TERMINATORS.indexOf(c) >= 0;
            if (!cjk && TERMINATORS.indexOf(c) < 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < n && (TERMINATORS.indexOf(text.charAt(j)) >= 0 || CJK_TERMINATORS.indexOf(text.charAt(j)) >= 0)) {
                j++;
            }
            boolean lonePeriod = j - i == 1 && c == '.';
            while (j < n && CLOSERS.indexOf(text.charAt(j)) >= 0) {
                j++;
            }
            int k = j;
            while (k < n && Character.isWhitespace(text.charAt(k))) {
                k++;
            }
            boolean ends;
            if (k == n) {
                ends = false;
            } else if (cjk) {
                ends = true;
            } else {
                ends = k > j && startsSentence(text.codePointAt(k)) && !(lonePeriod && isAbbreviation(text, i));
            }
            if (ends) {
                starts.add(k);
            }
            i = Math.max(j, i + 1);
        }
        return starts.stream().mapToInt(Integer::intValue).toArray();
    }

    private static boolean startsSentence(int cp) {
        return Character.isUpperCase(cp) || Character.isTitleCase(cp) || Character.isDigit(cp)
                || (Character.isLetter(cp) && !Character.isLowerCase(cp))
                || OPENERS.indexOf(cp) >= 0;
    }

    /** Whether the word that ends with the period at {@code period} is an abbreviation, an initial or an acronym. */
    static boolean isAbbreviation(String text, int period) {
        int s = period;
        while (s > 0 && !Character.isWhitespace(text.charAt(s - 1))) {
            s--;
        }
        while (s < period && OPENERS.indexOf(text.charAt(s)) >= 0) {
            s++;
        }
        String word = text.substring(s, period).toLowerCase(Locale.ROOT);
        if (word.isEmpty()) {
            return false;
        }
        if (ABBREVIATIONS.contains(word)) {
            return true;
        }
        if (word.codePointCount(0, word.length()) == 1 && Character.isLetter(word.codePointAt(0))) {
            return true;
        }
        // dotted acronyms: "u.s", "e.g", "i.e", "a.m", "ph.d"
        if (word.indexOf('.') > 0) {
            for (String part : word.split("\\.", -1)) {
                if (part.isEmpty() || part.length() > 2 || !part.chars().allMatch(Character::isLetter)) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }
}
