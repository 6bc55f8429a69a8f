package dev.winnow.selection.blocklist;

import dev.winnow.selection.decontam.NgramWords;
import java.io.Serializable;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * C4's bad-words rule, with the list the user gives: the share of a document's words (maximal runs
 * of letters, digits and marks, lower-cased) that belong to a listed entry. An entry of several
 * words ({@code "two words"}) counts all its words where they occur in sequence; each word of the
 * text counts once however many entries cover it. C4 drops a document with any listed word: {@code
 * maxFraction} 0.
 */
public final class WordBlocklist implements Serializable {
  private static final long serialVersionUID = 1L;
  private final Set<String> phrases = new HashSet<>();
  private int longest;

  /** One entry a line; blank lines and {@code #} comments are skipped. */
  public WordBlocklist(List<String> lines) {
    for (String l : lines) {
      String s = l.strip().toLowerCase(Locale.ROOT);
      if (s.isEmpty() || s.startsWith("#")) {
        continue;
      }
      List<String> w = NgramWords.of(s);
      if (!w.isEmpty()) {
        phrases.add(String.join(" ", w));
        longest = Math.max(longest, w.size());
      }
    }
  }

  /** Listed words found, and all words. */
  public record Share(int blocked, int words, String first) {
    public double fraction() {
      return words == 0 ? 0 : blocked / (double) words;
    }
  }

  public Share measure(String text) {
    List<String> w = NgramWords.of(text);
    boolean[] covered = new boolean[w.size()];
    String first = null;
    for (int i = 0; i < w.size(); i++) {
      StringBuilder p = new StringBuilder();
      for (int k = 0; k < longest && i + k < w.size(); k++) {
        if (k > 0) {
          p.append(' ');
        }
        p.append(w.get(i + k));
        if (phrases.contains(p.toString())) {
          if (first == null) {
            first = p.toString();
          }
          for (int j = i; j <= i + k; j++) {
            covered[j] = true;
          }
        }
      }
    }
    int n = 0;
    for (boolean c : covered) {
      n += c ? 1 : 0;
    }
    return new Share(n, w.size(), first);
  }
}
