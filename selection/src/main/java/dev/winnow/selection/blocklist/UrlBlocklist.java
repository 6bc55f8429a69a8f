package dev.winnow.selection.blocklist;

import java.io.Serializable;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * datatrove's URL filter, the parts that need no bundled list: a URL is blocked when its host or
 * any parent domain of it is on the domain list ({@code url_domain}: {@code ads.example.com} is
 * blocked by {@code example.com}), or when one of its words (maximal runs of letters and digits of
 * the URL, lower-cased) is on the word list ({@code url_word}), or when at least {@code
 * softThreshold} distinct words of the URL are on the soft word list ({@code url_soft_words};
 * datatrove's {@code soft_banned_words} with its {@code soft_word_threshold}, default {@value
 * #DEFAULT_SOFT_THRESHOLD}: a word that is harmless alone, such as one that is also a common
 * English word, blocks only in company). Rules are checked in that order, as datatrove does. Lists
 * are the user's; none is bundled.
 */
public final class UrlBlocklist implements Serializable {
  private static final long serialVersionUID = 1L;
  private final Set<String> domains;
  private final Set<String> words;
  private final Set<String> softWords;
  private final int softThreshold;

  /** datatrove's {@code soft_word_threshold}. */
  public static final int DEFAULT_SOFT_THRESHOLD = 2;

  /**
   * Why a URL is blocked: the rule, the domain or word that matched (for {@code url_soft_words} the
   * soft words found, comma-separated in URL order) and how many words matched (1 for the other
   * rules).
   */
  public record Block(String rule, String match, int count) {
    public Block(String rule, String match) {
      this(rule, match, 1);
    }
  }

  /**
   * Lists as read from files: one entry a line; blank lines and {@code #} comments are skipped;
   * domains may start with {@code *.} or {@code .} (the same as without).
   */
  public UrlBlocklist(List<String> domainLines, List<String> wordLines) {
    this(domainLines, wordLines, List.of(), DEFAULT_SOFT_THRESHOLD);
  }

  /**
   * As {@link #UrlBlocklist(List, List)}, with soft words: a URL holding at least {@code
   * softThreshold} (≥ 1) distinct words of {@code softWordLines} is blocked.
   */
  public UrlBlocklist(
      List<String> domainLines,
      List<String> wordLines,
      List<String> softWordLines,
      int softThreshold) {
    if (softThreshold < 1) {
      throw new IllegalArgumentException(
          "soft word threshold must be at least 1 (datatrove's default is "
              + DEFAULT_SOFT_THRESHOLD
              + "), got "
              + softThreshold);
    }
    this.softThreshold = softThreshold;
    softWords = new HashSet<>();
    for (String l : softWordLines) {
      String w = entry(l);
      if (w != null) {
        softWords.add(w);
      }
    }
    domains = new HashSet<>();
    for (String l : domainLines) {
      String d = entry(l);
      if (d != null) {
        while (d.startsWith("*.") || d.startsWith(".")) {
          d = d.substring(d.indexOf('.') + 1);
        }
        domains.add(d);
      }
    }
    words = new HashSet<>();
    for (String l : wordLines) {
      String w = entry(l);
      if (w != null) {
        words.add(w);
      }
    }
  }

  private static String entry(String line) {
    String s = line.strip().toLowerCase(Locale.ROOT);
    return s.isEmpty() || s.startsWith("#") ? null : s;
  }

  /** The first reason {@code url} is blocked: its domain first, then its words. */
  public Optional<Block> check(String url) {
    String host = host(url);
    if (host != null) {
      for (String d = host; ; ) {
        if (domains.contains(d)) {
          return Optional.of(new Block("url_domain", d));
        }
        int dot = d.indexOf('.');
        if (dot < 0) {
          break;
        }
        d = d.substring(dot + 1);
      }
    }
    if (words.isEmpty() && softWords.isEmpty()) {
      return Optional.empty();
    }
    List<String> urlWords = words(url);
    for (String w : urlWords) {
      if (words.contains(w)) {
        return Optional.of(new Block("url_word", w));
      }
    }
    if (!softWords.isEmpty()) {
      Set<String> found = new LinkedHashSet<>();
      for (String w : urlWords) {
        if (softWords.contains(w)) {
          found.add(w);
        }
      }
      if (found.size() >= softThreshold) {
        return Optional.of(new Block("url_soft_words", String.join(",", found), found.size()));
      }
    }
    return Optional.empty();
  }

  /** The soft word threshold. */
  public int softThreshold() {
    return softThreshold;
  }

  /** The words of {@code url}: maximal runs of letters and digits, lower-cased, in URL order. */
  static List<String> words(String url) {
    String u = url.toLowerCase(Locale.ROOT);
    List<String> out = new java.util.ArrayList<>();
    int i = 0;
    while (i < u.length()) {
      while (i < u.length() && !Character.isLetterOrDigit(u.charAt(i))) {
        i++;
      }
      int s = i;
      while (i < u.length() && Character.isLetterOrDigit(u.charAt(i))) {
        i++;
      }
      if (i > s) {
        out.add(u.substring(s, i));
      }
    }
    return out;
  }

  /** The lower-cased host of {@code url} (scheme optional, user info and port dropped), or null. */
  static String host(String url) {
    String s = url.strip();
    int scheme = s.indexOf("://");
    if (scheme >= 0) {
      s = s.substring(scheme + 3);
    } else if (s.startsWith("//")) {
      s = s.substring(2);
    }
    int end = s.length();
    for (char c : new char[] {'/', '?', '#'}) {
      int i = s.indexOf(c);
      if (i >= 0 && i < end) {
        end = i;
      }
    }
    s = s.substring(0, end);
    int at = s.lastIndexOf('@');
    if (at >= 0) {
      s = s.substring(at + 1);
    }
    int colon = s.lastIndexOf(':');
    if (colon >= 0 && !s.startsWith("[")) {
      s = s.substring(0, colon);
    }
    while (s.endsWith(".")) {
      s = s.substring(0, s.length() - 1);
    }
    return s.isEmpty() ? null : s.toLowerCase(Locale.ROOT);
  }
}
