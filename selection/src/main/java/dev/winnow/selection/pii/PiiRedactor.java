package dev.winnow.selection.pii;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Finds personal data in a text and replaces each find with its kind's placeholder.
 *
 * <ul>
 *   <li>{@code email}: {@code local@domain.tld}, a top-level domain of at least two letters.
 *   <li>{@code ip}: IPv4 dotted quads (each part 0-255, not part of a longer dotted number, not
 *       after {@code v} or {@code version}); IPv6 in full or {@code ::}-compressed form, parsed
 *       (eight groups, or fewer with exactly one {@code ::}; an IPv4 tail counts as two).
 *   <li>{@code phone}: international ({@code +} country code, 8 to 15 digits in all, separated by
 *       spaces, dots, hyphens, parentheses), North American {@code (555) 123-4567} / {@code
 *       555-123-4567}, and national numbers with a trunk {@code 0} ({@code 030 1234567}, {@code 06
 *       12 34 56 78}; 9 to 12 digits); never a part of a longer run of digit groups (a card or
 *       account number's tail).
 *   <li>{@code card}: 13 to 19 digits, optionally grouped by spaces or hyphens, that pass the Luhn
 *       check and start with an issuer prefix ({@link Checksums#cardPrefix}).
 *   <li>{@code iban}: two capital letters, two check digits and up to 30 letters or digits
 *       (optionally in groups of four), of the country's length, whose mod-97 check is right.
 * </ul>
 *
 * What stays: version numbers ({@code 1.2.3}, {@code v2.0.0.1}), dates and times, ISBNs (their
 * 978/979 prefix is no card issuer's, and they are not phone-shaped), prices, digit runs of card
 * length that fail Luhn, IBAN-shaped strings with wrong check digits, and every find on the
 * allow-list (compared case-insensitively). When finds overlap, the earlier kind of {@link PiiKind}
 * wins (an email's digits are not also a phone number).
 *
 * <p>Immutable and thread-safe.
 */
public final class PiiRedactor implements Serializable {
  private static final long serialVersionUID = 1L;

  private static final Pattern EMAIL =
      Pattern.compile(
          "(?<![\\w.+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,62}[A-Za-z0-9_%+-])?@"
              + "(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,24}(?![\\w-])");
  private static final String OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
  private static final Pattern IPV4 =
      Pattern.compile(
          "(?<![\\w.])(?<!\\bv)" + OCTET + "(?:\\." + OCTET + "){3}(?!\\.?\\d)(?![\\w])");
  private static final Pattern IPV6 =
      Pattern.compile(
          "(?<![\\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|"
              + OCTET
              + "(?:\\."
              + OCTET
              + "){3})?(?![\\w:])");
  private static final Pattern PHONE_INTL =
      Pattern.compile("(?<![\\w+])\\+\\d{1,3}(?:[ .-]?\\(?\\d{1,4}\\)?){2,6}(?![\\w])");
  private static final Pattern PHONE_NANP =
      Pattern.compile(
          "(?<![\\w(-])(?<![\\dA-Z] )(?:\\(\\d{3}\\) ?|\\d{3}[-. ])\\d{3}[-. ]\\d{4}(?![\\w-])(?! \\d)");
  private static final Pattern PHONE_TRUNK =
      Pattern.compile(
          "(?<![\\w./-])(?<![\\dA-Z] )0\\d{1,4}(?:[ /-]?\\d{2,8}){1,4}(?![\\w/-])(?!\\.\\d)(?! \\d)");
  private static final Pattern CARD =
      Pattern.compile("(?<![\\w.-])(?<![\\dA-Z] )\\d(?:[ -]?\\d){12,18}(?![\\w-])(?!\\.\\d)");
  private static final Pattern IBAN =
      Pattern.compile(
          "(?<![\\w])[A-Z]{2}\\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?![\\w])");
  private static final Pattern VERSION_BEFORE =
      Pattern.compile("(?i)\\b(?:version|ver\\.?|release|build|v)\\s*$");

  private final Map<PiiKind, String> placeholders;
  private final Set<String> allow;

  /**
   * A redactor of the kinds in {@code placeholders} (each replaced by its string), keeping finds on
   * {@code allowList}.
   */
  public PiiRedactor(Map<PiiKind, String> placeholders, List<String> allowList) {
    if (placeholders == null || allowList == null) {
      throw new IllegalArgumentException("placeholders and allow-list must not be null");
    }
    this.placeholders = new EnumMap<>(placeholders);
    this.allow =
        allowList.stream().map(a -> a.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
  }

  /** Every kind with its typed placeholder ({@code <EMAIL>}, ...), nothing allowed. */
  public static PiiRedactor typed() {
    Map<PiiKind, String> m = new EnumMap<>(PiiKind.class);
    for (PiiKind k : PiiKind.values()) {
      m.put(k, k.defaultPlaceholder());
    }
    return new PiiRedactor(m, List.of());
  }

  /** One find: where, what kind, the text found. */
  public record Find(int start, int end, PiiKind kind, String text) {}

  /**
   * The redacted text and the number of finds replaced per kind (every enabled kind, zeros too).
   */
  public record Redaction(String text, Map<PiiKind, Integer> counts, List<Find> finds) {}

  /** The finds in {@code text}, in text order, overlaps resolved. */
  public List<Find> find(String text) {
    List<Find> all = new ArrayList<>();
    for (PiiKind k : placeholders.keySet()) {
      switch (k) {
        case EMAIL -> collect(EMAIL, text, k, all, null);
        case IBAN -> collect(IBAN, text, k, all, s -> Checksums.iban(s.replace(" ", "")));
        case CARD ->
            collect(
                CARD,
                text,
                k,
                all,
                s -> {
                  String d = s.replace(" ", "").replace("-", "");
                  return Checksums.luhn(d) && Checksums.cardPrefix(d);
                });
        case IP -> {
          collectIpv4(text, all);
          collect(IPV6, text, k, all, PiiRedactor::ipv6);
        }
        case PHONE -> {
          collect(PHONE_INTL, text, k, all, s -> digits(s) >= 8 && digits(s) <= 15);
          collect(PHONE_NANP, text, k, all, null);
          collect(
              PHONE_TRUNK, text, k, all, s -> digits(s) >= 9 && digits(s) <= 12 && !dateLike(s));
        }
      }
    }
    // resolve overlaps: kinds in PiiKind order, then the longer find, then the earlier
    all.sort(
        Comparator.comparing(Find::kind)
            .thenComparing(f -> -(f.end() - f.start()))
            .thenComparingInt(Find::start));
    List<Find> kept = new ArrayList<>();
    for (Find f : all) {
      boolean overlaps = false;
      for (Find g : kept) {
        if (f.start() < g.end() && g.start() < f.end()) {
          overlaps = true;
          break;
        }
      }
      if (!overlaps && !allow.contains(f.text().toLowerCase(Locale.ROOT))) {
        kept.add(f);
      }
    }
    kept.sort(Comparator.comparingInt(Find::start));
    return kept;
  }

  /** {@code text} with every find replaced by its kind's placeholder. */
  public Redaction redact(String text) {
    List<Find> finds = find(text);
    Map<PiiKind, Integer> counts = new EnumMap<>(PiiKind.class);
    for (PiiKind k : placeholders.keySet()) {
      counts.put(k, 0);
    }
    if (finds.isEmpty()) {
      return new Redaction(text, counts, finds);
    }
    StringBuilder sb = new StringBuilder(text.length());
    int at = 0;
    for (Find f : finds) {
      sb.append(text, at, f.start()).append(placeholders.get(f.kind()));
      at = f.end();
      counts.merge(f.kind(), 1, Integer::sum);
    }
    sb.append(text, at, text.length());
    return new Redaction(sb.toString(), counts, finds);
  }

  private void collectIpv4(String text, List<Find> out) {
    Matcher m = IPV4.matcher(text);
    while (m.find()) {
      String before = text.substring(Math.max(0, m.start() - 12), m.start());
      if (VERSION_BEFORE.matcher(before).find()) {
        continue;
      }
      out.add(new Find(m.start(), m.end(), PiiKind.IP, m.group()));
    }
  }

  private static void collect(
      Pattern p,
      String text,
      PiiKind kind,
      List<Find> out,
      java.util.function.Predicate<String> check) {
    Matcher m = p.matcher(text);
    while (m.find()) {
      String s = m.group();
      if (check == null || check.test(s)) {
        out.add(new Find(m.start(), m.end(), kind, s));
      }
    }
  }

  private static int digits(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        n++;
      }
    }
    return n;
  }

  /** {@code 01/02/2024}, {@code 05-06-1999}, {@code 2024-01-15}: day-month-year shapes. */
  private static boolean dateLike(String s) {
    return s.matches("\\d{1,2}[/-]\\d{1,2}[/-]\\d{2,4}") || s.matches("\\d{4}-\\d{2}-\\d{2}");
  }

  /** A syntactically valid IPv6 address (RFC 4291 text forms). */
  static boolean ipv6(String s) {
    int dc = s.indexOf("::");
    if (dc >= 0 && s.indexOf("::", dc + 1) >= 0) {
      return false;
    }
    String[] parts = s.split(":", -1);
    int groups = 0;
    boolean v4tail = false;
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i];
      if (p.isEmpty()) {
        continue;
      }
      if (p.contains(".")) {
        if (i != parts.length - 1) {
          return false;
        }
        v4tail = true;
        groups += 2;
      } else {
        if (p.length() > 4) {
          return false;
        }
        groups++;
      }
    }
    if (dc >= 0) {
      // a compressed address needs at least one non-empty group or to be "::" alone (rejected:
      // too short to be an address worth redacting), and must leave room for the zeros
      return groups >= 1 && groups <= 7 && (groups >= 2 || s.length() >= 3);
    }
    // single colons: no empty group allowed, exactly eight groups
    for (int i = 0; i < parts.length; i++) {
      if (parts[i].isEmpty()) {
        return false;
      }
    }
    return groups == 8 || (v4tail && groups == 8);
  }
}
