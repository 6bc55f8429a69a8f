package dev.winnow.selection.pii;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A generated test set: sentences with planted personal data of every kind (valid by construction:
 * Luhn-correct cards with issuer prefixes, IBANs with right check digits) and decoys that must stay
 * (version numbers, dates, times, ISBNs, prices, card-length numbers failing Luhn, IBANs with wrong
 * check digits, MAC addresses, plain numbers).
 */
final class PlantedPii {
  /** A planted value: its kind, or null for a decoy. */
  record Plant(PiiKind kind, String text) {}

  /** A document and what was planted in it, with offsets. */
  record Doc(String text, List<int[]> spans, List<Plant> plants) {}

  private static final String[] WORDS = {
    "please",
    "contact",
    "the",
    "office",
    "at",
    "or",
    "call",
    "for",
    "details",
    "about",
    "your",
    "order",
    "payment",
    "was",
    "made",
    "with",
    "number",
    "reference",
    "server",
    "host",
    "released",
    "on",
    "price",
    "book",
    "meeting"
  };
  private static final String[] DOMAINS = {
    "example.com", "mail.example.org", "uni-bonn.de", "co.uk"
  };
  private static final String[][] IBAN_COUNTRIES = {
    {"DE", "22"}, {"GB", "22"}, {"FR", "27"}, {"NL", "18"}, {"ES", "24"}, {"IT", "27"}, {"BE", "16"}
  };

  private final Random rnd;

  PlantedPii(long seed) {
    rnd = new Random(seed);
  }

  List<Doc> docs(int n) {
    List<Doc> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      StringBuilder sb = new StringBuilder();
      List<int[]> spans = new ArrayList<>();
      List<Plant> plants = new ArrayList<>();
      for (int k = 0; k < 4; k++) {
        words(sb, 3 + rnd.nextInt(5));
        Plant p = rnd.nextInt(3) == 0 ? decoy() : plant();
        sb.append(' ');
        spans.add(new int[] {sb.length(), sb.length() + p.text().length()});
        sb.append(p.text());
        plants.add(p);
        sb.append(rnd.nextBoolean() ? ". " : " ");
      }
      words(sb, 4);
      sb.append('.');
      out.add(new Doc(sb.toString(), spans, plants));
    }
    return out;
  }

  private void words(StringBuilder sb, int n) {
    for (int i = 0; i < n; i++) {
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ' ') {
        sb.append(' ');
      }
      sb.append(WORDS[rnd.nextInt(WORDS.length)]);
    }
  }

  Plant plant() {
    PiiKind k = PiiKind.values()[rnd.nextInt(PiiKind.values().length)];
    return new Plant(
        k,
        switch (k) {
          case EMAIL -> email();
          case IP -> rnd.nextBoolean() ? ipv4() : ipv6();
          case PHONE -> phone();
          case CARD -> card(true);
          case IBAN -> iban(true);
        });
  }

  Plant decoy() {
    String s =
        switch (rnd.nextInt(11)) {
          case 0 -> "v" + rnd.nextInt(10) + "." + rnd.nextInt(20) + "." + rnd.nextInt(20);
          case 1 ->
              "version "
                  + rnd.nextInt(10)
                  + "."
                  + rnd.nextInt(10)
                  + "."
                  + rnd.nextInt(10)
                  + "."
                  + rnd.nextInt(10);
          case 2 ->
              String.format(
                  "%04d-%02d-%02d",
                  1990 + rnd.nextInt(35), 1 + rnd.nextInt(12), 1 + rnd.nextInt(28));
          case 3 ->
              String.format(
                  "%02d/%02d/%04d",
                  1 + rnd.nextInt(28), 1 + rnd.nextInt(12), 1990 + rnd.nextInt(35));
          case 4 ->
              String.format("%02d:%02d:%02d", rnd.nextInt(24), rnd.nextInt(60), rnd.nextInt(60));
          case 5 -> isbn13();
          case 6 -> String.format("$%,d.%02d", rnd.nextInt(100_000), rnd.nextInt(100));
          case 7 -> card(false);
          case 8 -> iban(false);
          case 9 -> mac();
          default -> Integer.toString(100_000_000 + rnd.nextInt(800_000_000));
        };
    return new Plant(null, s);
  }

  private String email() {
    String local =
        "abcdefghijklmnopqrstuvwxyz".charAt(rnd.nextInt(26))
            + Long.toString(rnd.nextInt(1 << 20), 36);
    if (rnd.nextBoolean()) {
      local += "." + Long.toString(rnd.nextInt(1 << 16), 36);
    }
    return local + "@" + DOMAINS[rnd.nextInt(DOMAINS.length)];
  }

  private String ipv4() {
    return (1 + rnd.nextInt(223))
        + "."
        + rnd.nextInt(256)
        + "."
        + rnd.nextInt(256)
        + "."
        + rnd.nextInt(256);
  }

  private String ipv6() {
    String[] g = new String[8];
    for (int i = 0; i < 8; i++) {
      g[i] = Integer.toHexString(rnd.nextInt(0x10000));
    }
    if (rnd.nextBoolean()) {
      return String.join(":", g);
    }
    return "2001:db8::" + g[6] + ":" + g[7];
  }

  private String phone() {
    return switch (rnd.nextInt(7)) {
      case 0 -> "+49 30 " + digits(7);
      case 1 ->
          "+1 (" + (200 + rnd.nextInt(800)) + ") " + (200 + rnd.nextInt(800)) + "-" + digits(4);
      case 2 -> "+44 20 " + digits(4) + " " + digits(4);
      case 3 -> "(" + (200 + rnd.nextInt(800)) + ") " + (200 + rnd.nextInt(800)) + "-" + digits(4);
      case 4 -> (200 + rnd.nextInt(800)) + "-" + (200 + rnd.nextInt(800)) + "-" + digits(4);
      case 5 -> "030 " + digits(7);
      default -> "06 " + digits(2) + " " + digits(2) + " " + digits(2) + " " + digits(2);
    };
  }

  private String digits(int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(rnd.nextInt(10));
    }
    return sb.toString();
  }

  /** A 16-digit Visa/Mastercard number, Luhn-valid or (decoy) with a wrong check digit. */
  private String card(boolean valid) {
    String body = (rnd.nextBoolean() ? "4" : "5" + (1 + rnd.nextInt(5)));
    body += digits(15 - body.length());
    int check = 0;
    for (int c = 0; c < 10; c++) {
      if (Checksums.luhn(body + c)) {
        check = c;
      }
    }
    if (!valid) {
      check = (check + 1 + rnd.nextInt(9)) % 10;
    }
    String d = body + check;
    return switch (rnd.nextInt(3)) {
      case 0 -> d;
      case 1 ->
          d.substring(0, 4)
              + " "
              + d.substring(4, 8)
              + " "
              + d.substring(8, 12)
              + " "
              + d.substring(12);
      default ->
          d.substring(0, 4)
              + "-"
              + d.substring(4, 8)
              + "-"
              + d.substring(8, 12)
              + "-"
              + d.substring(12);
    };
  }

  /** An IBAN of a listed country, right or (decoy) wrong check digits, grouped by four or not. */
  private String iban(boolean valid) {
    String[] c = IBAN_COUNTRIES[rnd.nextInt(IBAN_COUNTRIES.length)];
    String bban = digits(Integer.parseInt(c[1]) - 4);
    String rearranged = bban + (c[0].charAt(0) - 'A' + 10) + (c[0].charAt(1) - 'A' + 10) + "00";
    int check = 98 - new BigInteger(rearranged).mod(BigInteger.valueOf(97)).intValue();
    if (!valid) {
      check = 2 + (check + 1 + rnd.nextInt(90)) % 97;
      if (check > 98) {
        check = 2;
      }
    }
    String iban = c[0] + String.format("%02d", check) + bban;
    if (rnd.nextBoolean()) {
      return iban;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < iban.length(); i += 4) {
      if (i > 0) {
        sb.append(' ');
      }
      sb.append(iban, i, Math.min(iban.length(), i + 4));
    }
    return sb.toString();
  }

  private String isbn13() {
    String body = (rnd.nextBoolean() ? "978" : "979") + digits(9);
    int sum = 0;
    for (int i = 0; i < 12; i++) {
      sum += (body.charAt(i) - '0') * (i % 2 == 0 ? 1 : 3);
    }
    String d = body + ((10 - sum % 10) % 10);
    return rnd.nextBoolean()
        ? d
        : d.substring(0, 3)
            + "-"
            + d.charAt(3)
            + "-"
            + d.substring(4, 6)
            + "-"
            + d.substring(6, 12)
            + "-"
            + d.charAt(12);
  }

  private String mac() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 6; i++) {
      if (i > 0) {
        sb.append(':');
      }
      sb.append(String.format("%02X", rnd.nextInt(256)));
    }
    return sb.toString();
  }
}
