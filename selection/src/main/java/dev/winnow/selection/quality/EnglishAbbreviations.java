package dev.winnow.selection.quality;

import java.util.Locale;
import java.util.Set;

/**
 * Words after which a period usually does not end a sentence. A small, fixed stand-in for the
 * abbreviation list that NLTK's Punkt model learned from data; used by {@link WordTokenizer}
 * (keep the period attached) and {@link SentenceSplitter} (no sentence break).
 */
final class EnglishAbbreviations {

    private static final Set<String> WORDS = Set.of(
            "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "vs", "etc", "inc", "ltd", "co", "corp",
            "no", "gov", "gen", "col", "lt", "sgt", "capt", "rev", "hon", "sen", "rep", "dept", "univ",
            "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
            "approx", "est", "fig", "al", "ed", "vol", "pp", "cf", "ca", "mt", "ft", "ave", "blvd");

    private EnglishAbbreviations() {
    }

    /**
     * Whether {@code s[from, to)} (a word without its final period) is an abbreviation: a known
     * abbreviation, a single letter (an initial), or a dotted form whose parts are one or two
     * letters ({@code U.S}, {@code e.g}, {@code Ph.D}; not {@code example.com}).
     */
    static boolean isAbbreviation(String s, int from, int to) {
        int len = to - from;
        if (len <= 0) {
            return false;
        }
        if (len == 1) {
            return Character.isLetter(s.charAt(from));
        }
        for (int i = from; i < to; i++) { // only this word: s is a whole document
            if (s.charAt(i) == '.') {
                return isDottedForm(s, from, to);
            }
        }
        return len <= 6 && WORDS.contains(s.substring(from, to).toLowerCase(Locale.ROOT));
    }

    private static boolean isDottedForm(String s, int from, int to) {
        int part = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '.') {
                if (part == 0) {
                    return false;
                }
                part = 0;
            } else if (Character.isLetter(c) && part < 2) {
                part++;
            } else {
                return false;
            }
        }
        return part > 0;
    }
}
