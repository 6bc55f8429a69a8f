package dev.winnow.selection.quality;

import dev.winnow.selection.text.Abbreviations;
import java.util.ArrayList;
import java.util.List;

/**
 * A fast, dependency-free word tokenizer for the quality filters, in two flavours: by default an
 * approximation of NLTK's {@code word_tokenize} (Treebank rules after Punkt sentence splitting),
 * which datatrove used for English in mid-2024 (preset {@code datatrove-2024}); with {@code
 * splitInfixHyphens} ({@link #tokenize(String, boolean)}, preset {@code datatrove-0.10}) moved
 * toward spaCy's rule-based English tokenizer, datatrove 0.10's default.
 *
 * <p>The NLTK-like rules, applied to each run of non-whitespace:
 *
 * <ul>
 *   <li>{@code ; @ # $ % & ? ! ( ) [ ] { } < > "} and the typographic quotes {@code « » “ ” ‘ ’ „}
 *       are always tokens of their own (as in Treebank, a {@code ’} inside a word splits it: {@code
 *       don’t → don ’ t}).
 *   <li>{@code ,} and {@code :} split unless a digit follows ({@code 1,000} and {@code 10:30} stay
 *       whole); {@code --} and {@code ...} are single tokens wherever they occur.
 *   <li>A leading {@code '} or {@code `} splits off; a trailing {@code '} splits off.
 *   <li>A final {@code .} splits off unless the word before it is an abbreviation (see {@link
 *       Abbreviations#ENGLISH}: known abbreviations, initials, dotted forms like {@code U.S.}).
 *       Periods inside a word ({@code 3.5}, {@code example.com}) never split.
 *   <li>English clitics split: {@code n't}, {@code 's}, {@code 'm}, {@code 'd}, {@code 'll}, {@code
 *       're}, {@code 've} ({@code don't → do n't}, {@code it's → it 's}); {@code cannot → can not}.
 *   <li>Hyphens, slashes and other symbols inside a word do not split ({@code well-known}, {@code
 *       and/or}).
 * </ul>
 *
 * <p>Where it differs from NLTK: double quotes keep their text ({@code "} instead of Treebank's
 * {@code ``} / {@code ''}); sentence-final periods are recognised by the fixed abbreviation list
 * rather than Punkt's learned one, so a period after an unlisted abbreviation splits and a sentence
 * ending in a listed abbreviation keeps its period; the rare informal contractions NLTK splits
 * ({@code gonna}, {@code gimme}, ...) are kept whole.
 *
 * <p>Measured against NLTK 3.x ({@code NLTKWordTokenizer} after a Punkt model trained on the news
 * and speeches corpora, as no pretrained Punkt data was at hand), on the normalized shared corpora
 * (all of speeches and prose, the first 3,000 documents of news and web): total token counts agree
 * within 0.05% (news 649,286 vs 649,232; speeches 545,471 vs 545,610; Brown prose 1,172,921 vs
 * 1,173,108; web 27,448 vs 27,463) and the summed per-document absolute difference is 0.02% (news)
 * to 0.36% (prose) of the tokens. The differences are the quote spelling above and periods after
 * abbreviations. Stateless and thread-safe.
 */
final class WordTokenizer {

  private WordTokenizer() {}

  /** The tokens of {@code text}, in order; none is empty or contains whitespace. */
  static List<String> tokenize(String text) {
    return tokenize(text, false);
  }

  /**
   * {@link #tokenize(String)}, and with {@code splitInfixHyphens} (the {@code datatrove-0.10}
   * preset: datatrove 0.10 tokenizes English with spaCy) the rules move toward spaCy's English
   * tokenizer: a single hyphen inside a word is a token of its own where spaCy's infix rules split
   * it, between two digits ({@code 5-3 → 5 - 3}) and after a letter or digit before a letter
   * ({@code ultra-low → ultra - low}, {@code 205-pound → 205 - pound}); a slash between a letter or
   * digit and a letter splits ({@code and/or → and / or}); a run of dashes stays whole ({@code
   * ----}, {@code words--}); {@code * _ =} split off one at a time at a word's ends ({@code *** → *
   * * *}); U+FFFD is a token of its own everywhere; {@code ( ) & ; $} split only at a word's ends.
   */
  static List<String> tokenize(String text, boolean splitInfixHyphens) {
    List<String> out = new ArrayList<>(Math.max(16, text.length() / 5));
    int n = text.length();
    int i = 0;
    while (i < n) {
      while (i < n && PyText.isSpace(text.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < n && !PyText.isSpace(text.charAt(i))) {
        i++;
      }
      if (i > start) {
        tokenizeChunk(text, start, i, out, splitInfixHyphens);
      }
    }
    return out;
  }

  private static boolean alwaysSplits(char c) {
    switch (c) {
      case ';':
      case '@':
      case '#':
      case '$':
      case '%':
      case '&':
      case '?':
      case '!':
      case '(':
      case ')':
      case '[':
      case ']':
      case '{':
      case '}':
      case '<':
      case '>':
      case '"':
      case '\u00ab':
      case '\u00bb':
      case '\u201c':
      case '\u201d':
      case '\u2018':
      case '\u2019':
      case '\u201e':
        return true;
      default:
        return false;
    }
  }

  private static boolean isDigitAt(String t, int i, int end) {
    return i < end && Character.isDigit(t.charAt(i));
  }

  /** Splits one whitespace-free chunk {@code t[s, e)}. */
  private static void tokenizeChunk(
      String t, int s, int e, List<String> out, boolean splitInfixHyphens) {
    // leading punctuation
    while (s < e) {
      char c = t.charAt(s);
      if (t.startsWith("...", s) && s + 3 <= e) {
        out.add("...");
        s += 3;
      } else if (alwaysSplits(c)
          || c == '`'
          || (splitInfixHyphens && spacyEdgeSymbol(c))
          || (c == '\'' && !isClitic(t, s, e))
          || ((c == ',' || c == ':') && !isDigitAt(t, s + 1, e))) {
        out.add(String.valueOf(c));
        s++;
      } else {
        break;
      }
    }
    // trailing punctuation, collected in reverse
    List<String> tail = null;
    while (e > s) {
      char c = t.charAt(e - 1);
      String tok;
      if (e - s >= 3 && t.startsWith("...", e - 3)) {
        tok = "...";
      } else if (alwaysSplits(c)
          || c == ','
          || c == ':'
          || c == '\''
          || (splitInfixHyphens && spacyEdgeSymbol(c))) {
        tok = String.valueOf(c);
      } else if (c == '.'
          && !Abbreviations.ENGLISH.isAbbreviation(t, s, e - 1)
          && !(splitInfixHyphens && e - 1 - s == 1 && Character.isLetter(t.charAt(s)))) {
        // spaCy keeps a single letter's period (its exceptions "a." .. "z.")
        tok = ".";
      } else {
        break;
      }
      if (tail == null) {
        tail = new ArrayList<>(2);
      }
      tail.add(tok);
      e -= tok.length();
    }
    // inner splits
    int pieceStart = s;
    int i = s;
    while (i < e) {
      char c = t.charAt(i);
      // most characters are ASCII letters and digits, which no rule splits at: skip the rules
      // (whose chain is longer with the spaCy rules) for them
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
        i++;
        continue;
      }
      int splitLen = 0;
      if ((alwaysSplits(c) && !(splitInfixHyphens && spacyKeepsInside(c)))
          || ((c == ',' || c == ':') && !isDigitAt(t, i + 1, e))
          || (splitInfixHyphens && c == '\uFFFD')) {
        splitLen = 1;
      } else if (c == '-' && i + 1 < e && t.charAt(i + 1) == '-') {
        if (splitInfixHyphens) {
          // spaCy keeps a run of dashes whole, with the word it is attached to
          while (i < e && t.charAt(i) == '-') {
            i++;
          }
          continue;
        }
        splitLen = 2;
      } else if (splitInfixHyphens
          && c == '/'
          && i > s
          && i + 1 < e
          && Character.isLetterOrDigit(t.charAt(i - 1))
          && Character.isLetter(t.charAt(i + 1))
          && !(i - pieceStart == 3
              && e - i == 3
              && t.regionMatches(true, pieceStart, "and/or", 0, 6))) {
        splitLen = 1;
      } else if (c == '.' && i + 2 < e && t.charAt(i + 1) == '.' && t.charAt(i + 2) == '.') {
        splitLen = 3;
      } else if (splitInfixHyphens && c == '-' && i > s && i + 1 < e && infixHyphen(t, i)) {
        splitLen = 1;
      }
      if (splitLen > 0) {
        addWord(t, pieceStart, i, out, splitInfixHyphens);
        out.add(t.substring(i, i + splitLen));
        i += splitLen;
        pieceStart = i;
      } else {
        i++;
      }
    }
    addWord(t, pieceStart, e, out, splitInfixHyphens);
    if (tail != null) {
      for (int k = tail.size() - 1; k >= 0; k--) {
        out.add(tail.get(k));
      }
    }
  }

  /**
   * Symbols spaCy's English prefix and suffix rules split off one at a time at either end of a
   * word, so that a run of them is one token per symbol ({@code *** → * * *}, {@code _word_ → _
   * word _}); U+FFFD splits everywhere.
   */
  private static boolean spacyEdgeSymbol(char c) {
    return c == '*' || c == '_' || c == '=' || c == '\uFFFD';
  }

  /**
   * Symbols that split a word everywhere in NLTK's rules but that spaCy splits off only at a word's
   * ends ({@code 381(a)(1)}, {@code P&eacute;rez}, {@code US$} stay whole inside).
   */
  private static boolean spacyKeepsInside(char c) {
    return c == '(' || c == ')' || c == '&' || c == ';' || c == '$';
  }

  private static boolean infixHyphen(String t, int i) {
    char a = t.charAt(i - 1);
    char b = t.charAt(i + 1);
    if (b == '-') {
      return false;
    }
    return (Character.isDigit(a) && Character.isDigit(b))
        || (Character.isLetterOrDigit(a) && Character.isLetter(b));
  }

  /** Whether {@code t[s, e)} starts with a clitic that stands alone, e.g. the chunk {@code 's}. */
  private static boolean isClitic(String t, int s, int e) {
    int len = e - s;
    return cliticLength(t, s, e) == len && len > 1;
  }

  /**
   * Adds {@code t[s, e)} splitting off an English clitic at its end; with {@code spacy}, {@code
   * gonna} and {@code gotta} split as spaCy's exceptions do ({@code gon na}, {@code got ta}).
   */
  private static void addWord(String t, int s, int e, List<String> out, boolean spacy) {
    if (e <= s) {
      return;
    }
    if (spacy
        && e - s == 5
        && (t.regionMatches(true, s, "gonna", 0, 5) || t.regionMatches(true, s, "gotta", 0, 5))) {
      out.add(t.substring(s, s + 3));
      out.add(t.substring(s + 3, e));
      return;
    }
    int clitic = cliticLength(t, s, e);
    if (clitic > 0 && clitic < e - s) {
      out.add(t.substring(s, e - clitic));
      out.add(t.substring(e - clitic, e));
    } else if (e - s == 6 && t.regionMatches(true, s, "cannot", 0, 6)) {
      out.add(t.substring(s, s + 3));
      out.add(t.substring(s + 3, e));
    } else {
      out.add(t.substring(s, e));
    }
  }

  /** The length of the clitic ending {@code t[s, e)}, or 0. */
  private static int cliticLength(String t, int s, int e) {
    int len = e - s;
    if (len >= 3 && t.regionMatches(true, e - 3, "n't", 0, 3)) {
      return 3;
    }
    if (len >= 3
        && t.charAt(e - 3) == '\''
        && (t.regionMatches(true, e - 2, "ll", 0, 2)
            || t.regionMatches(true, e - 2, "re", 0, 2)
            || t.regionMatches(true, e - 2, "ve", 0, 2))) {
      return 3;
    }
    if (len >= 2 && t.charAt(e - 2) == '\'') {
      char c = Character.toLowerCase(t.charAt(e - 1));
      if (c == 's' || c == 'm' || c == 'd') {
        return 2;
      }
    }
    return 0;
  }
}
