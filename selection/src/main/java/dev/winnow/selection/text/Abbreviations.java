package dev.winnow.selection.text;

import java.util.Locale;
import java.util.Set;

/**
 * Words after which a period usually does not end a sentence: a fixed list of known abbreviations,
 * plus initials ({@code J.}) and dotted forms ({@code U.S.}, {@code e.g.}, {@code Ph.D.}). A small
 * stand-in for the abbreviations NLTK's Punkt model learned from data.
 *
 * <p>Two lists, because their users weigh the common-word abbreviations ("no.", "co.", "mar.")
 * differently; each is named for what it leaves in or out, and the rest of the rule is shared.
 */
public final class Abbreviations {
  /**
   * The list of the datatrove stand-ins ({@link SentenceSplitter#DATATROVE}, the quality filters'
   * word tokenizer): it includes abbreviations that are also common words ("no", "co", "mar", "ed",
   * "est", "ca"), as Punkt's English model does.
   */
  public static final Abbreviations ENGLISH =
      new Abbreviations(
          Set.of(
              "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "vs", "etc", "inc", "ltd", "co",
              "corp", "no", "gov", "gen", "col", "lt", "sgt", "capt", "rev", "hon", "sen", "rep",
              "dept", "univ", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
              "nov", "dec", "approx", "est", "fig", "al", "ed", "vol", "pp", "cf", "ca", "mt", "ft",
              "ave", "blvd"));

  /**
   * The list of the prompt splitter ({@link SentenceSplitter#LLMLINGUA}): more titles, and no
   * abbreviation that is also a common word ("no", "sat", "sun", "wed", "mar", "co"), since a
   * sentence ending in such a word ("He said no.") is more common in prose than the abbreviation.
   */
  public static final Abbreviations ENGLISH_UNAMBIGUOUS =
      new Abbreviations(
          Set.of(
              "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "ft", "messrs", "mme",
              "mlle", "rev", "hon", "gen", "gov", "sen", "rep", "pres", "col", "lt", "maj", "sgt",
              "capt", "cmdr", "adm", "vs", "etc", "al", "approx", "cf", "fig", "figs", "vol",
              "vols", "eds", "pp", "dept", "inc", "ltd", "corp", "bros", "assn", "univ", "ave",
              "blvd", "jan", "feb", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
              "tues", "thurs"));

  private final Set<String> words;
  private final int longest;

  /**
   * @param words lower-case abbreviations without their final period
   */
  public Abbreviations(Set<String> words) {
    this.words = Set.copyOf(words);
    this.longest = words.stream().mapToInt(String::length).max().orElse(0);
  }

  /** The lower-case known abbreviations, without their final period. */
  public Set<String> words() {
    return words;
  }

  /**
   * Whether {@code s[from, to)} (a word without its final period) is an abbreviation: a known one
   * (any case), a single letter (an initial), or a dotted form whose parts are one or two letters
   * ({@code U.S}, {@code e.g}, {@code Ph.D}; not {@code example.com}).
   */
  public boolean isAbbreviation(String s, int from, int to) {
    if (to <= from) {
      return false;
    }
    int first = s.codePointAt(from);
    if (from + Character.charCount(first) == to) {
      return Character.isLetter(first);
    }
    for (int i = from; i < to; i++) { // only this word: s may be a whole document
      if (s.charAt(i) == '.') {
        return isDottedForm(s, from, to);
      }
    }
    return to - from <= longest && words.contains(s.substring(from, to).toLowerCase(Locale.ROOT));
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
