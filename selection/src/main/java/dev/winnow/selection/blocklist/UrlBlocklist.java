package dev.winnow.selection.blocklist;

import java.io.Serializable;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * datatrove's URL filter, the parts that need no bundled list: a URL is blocked when its host or
 * any parent domain of it is on the domain list ({@code url_domain}: {@code ads.example.com} is
 * blocked by {@code example.com}), or when one of its words (maximal runs of letters and digits of
 * the URL, lower-cased) is on the word list ({@code url_word}). Lists are the user's; none is
 * bundled.
 */
public final class UrlBlocklist implements Serializable {
  private static final long serialVersionUID = 1L;
  private final Set<String> domains;
  private final Set<String> words;

  /** Why a URL is blocked: the rule and the domain or word that matched. */
  public record Block(String rule, String match) {}

  /**
   * Lists as read from files: one entry a line; blank lines and {@code #} comments are skipped;
   * domains may start with {@code *.} or {@code .} (the same as without).
   */
  public UrlBlocklist(List<String> domainLines, List<String> wordLines) {
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
    if (!words.isEmpty()) {
      String u = url.toLowerCase(Locale.ROOT);
      int i = 0;
      while (i < u.length()) {
        while (i < u.length() && !Character.isLetterOrDigit(u.charAt(i))) {
          i++;
        }
        int s = i;
        while (i < u.length() && Character.isLetterOrDigit(u.charAt(i))) {
          i++;
        }
        if (i > s && words.contains(u.substring(s, i))) {
          return Optional.of(new Block("url_word", u.substring(s, i)));
        }
      }
    }
    return Optional.empty();
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
