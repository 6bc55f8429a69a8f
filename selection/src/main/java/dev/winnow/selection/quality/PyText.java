package dev.winnow.selection.quality;

import dev.winnow.selection.text.Whitespace;
import java.util.ArrayList;
import java.util.List;

/**
 * The few Python {@code str} operations whose exact semantics datatrove's rules depend on ({@code
 * isspace}, {@code strip}, {@code split()}, {@code splitlines}), so that line and word counts match
 * the reference implementation on any input, normalized or not. Lengths are counted in code points,
 * as Python's {@code len} does.
 */
final class PyText {

  private PyText() {}

  /** Python's {@code str.isspace} for one character (all of its whitespace is in the BMP). */
  static boolean isSpace(char c) {
    return Whitespace.isPythonSpace(c);
  }

  /** A line break for Python's {@code str.splitlines}. */
  static boolean isLineBreak(char c) {
    return c == '\n'
        || c == '\r'
        || c == '\u000b'
        || c == '\u000c'
        || (c >= '\u001c' && c <= '\u001e')
        || c == '\u0085'
        || c == '\u2028'
        || c == '\u2029';
  }

  /** Python's {@code s.strip()}. */
  static String strip(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isSpace(s.charAt(start))) {
      start++;
    }
    while (end > start && isSpace(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(start, end);
  }

  /** Python's {@code s.lstrip().startswith(prefix)} without allocating. */
  static boolean lstripStartsWith(String s, String prefix) {
    int start = 0;
    while (start < s.length() && isSpace(s.charAt(start))) {
      start++;
    }
    return s.startsWith(prefix, start);
  }

  /** Python's {@code s.rstrip().endswith(suffix)} without allocating. */
  static boolean rstripEndsWith(String s, String suffix) {
    int end = s.length();
    while (end > 0 && isSpace(s.charAt(end - 1))) {
      end--;
    }
    return end >= suffix.length() && s.startsWith(suffix, end - suffix.length());
  }

  /** Python's {@code s.split()}: the maximal runs of non-whitespace. */
  static List<String> splitWhitespace(String s) {
    List<String> out = new ArrayList<>();
    int n = s.length();
    int i = 0;
    while (i < n) {
      while (i < n && isSpace(s.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < n && !isSpace(s.charAt(i))) {
        i++;
      }
      if (i > start) {
        out.add(s.substring(start, i));
      }
    }
    return out;
  }

  /** Python's {@code s.splitlines()}: no trailing empty line, {@code "\r\n"} is one break. */
  static List<String> splitlines(String s) {
    List<String> out = new ArrayList<>();
    int n = s.length();
    int start = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (isLineBreak(c)) {
        out.add(s.substring(start, i));
        if (c == '\r' && i + 1 < n && s.charAt(i + 1) == '\n') {
          i++;
        }
        start = i + 1;
      }
    }
    if (start < n) {
      out.add(s.substring(start));
    }
    return out;
  }

  /** Python's {@code s.split(sep)} for a one-character separator: keeps empty pieces. */
  static List<String> split(String s, char sep) {
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = s.indexOf(sep); i >= 0; i = s.indexOf(sep, start)) {
      out.add(s.substring(start, i));
      start = i + 1;
    }
    out.add(s.substring(start));
    return out;
  }

  /**
   * Python's {@code re.split(sep + "{" + minRun + ",}", s)}: splits on runs of at least {@code
   * minRun} {@code sep} characters, keeping empty leading and trailing pieces.
   */
  static List<String> splitOnRuns(String s, char sep, int minRun) {
    List<String> out = new ArrayList<>();
    int n = s.length();
    int start = 0;
    int i = 0;
    while (i < n) {
      if (s.charAt(i) == sep) {
        int runEnd = i;
        while (runEnd < n && s.charAt(runEnd) == sep) {
          runEnd++;
        }
        if (runEnd - i >= minRun) {
          out.add(s.substring(start, i));
          start = runEnd;
        }
        i = runEnd;
      } else {
        i++;
      }
    }
    out.add(s.substring(start));
    return out;
  }

  /** Python's {@code s.count(sub)}: non-overlapping occurrences. */
  static int count(String s, String sub) {
    int count = 0;
    for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + sub.length())) {
      count++;
    }
    return count;
  }

  /** Python's {@code s.count(c)} for one character. */
  static int count(String s, char c) {
    int count = 0;
    for (int i = s.indexOf(c); i >= 0; i = s.indexOf(c, i + 1)) {
      count++;
    }
    return count;
  }

  /** Python's {@code len(s)}: code points, not UTF-16 units. */
  static int len(String s) {
    return s.codePointCount(0, s.length());
  }
}
