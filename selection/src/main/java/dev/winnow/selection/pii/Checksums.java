package dev.winnow.selection.pii;

/** The check-digit rules that separate payment card numbers and IBANs from other digit runs. */
public final class Checksums {
  private Checksums() {}

  /** The Luhn (mod 10) check of a string of digits. */
  public static boolean luhn(CharSequence digits) {
    int sum = 0;
    boolean twice = false;
    for (int i = digits.length() - 1; i >= 0; i--) {
      int d = digits.charAt(i) - '0';
      if (d < 0 || d > 9) {
        return false;
      }
      if (twice) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      twice = !twice;
    }
    return digits.length() > 0 && sum % 10 == 0;
  }

  /**
   * Whether a card number of this length starts with an issuer prefix (Visa 4; Mastercard 51-55,
   * 2221-2720; American Express 34, 37; Discover 6011, 644-649, 65; Diners 300-305, 36, 38; JCB
   * 3528-3589; UnionPay 62). ISBN-13s start with 978/979 and never qualify.
   */
  public static boolean cardPrefix(CharSequence d) {
    int n = d.length();
    int p2 = Integer.parseInt(d.subSequence(0, 2).toString());
    int p3 = Integer.parseInt(d.subSequence(0, 3).toString());
    int p4 = Integer.parseInt(d.subSequence(0, 4).toString());
    if (d.charAt(0) == '4') {
      return n == 13 || n == 16 || n == 19;
    }
    if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) {
      return n == 16;
    }
    if (p2 == 34 || p2 == 37) {
      return n == 15;
    }
    if (p4 == 6011 || p2 == 65 || (p3 >= 644 && p3 <= 649)) {
      return n >= 16 && n <= 19;
    }
    if ((p3 >= 300 && p3 <= 305) || p2 == 36 || p2 == 38) {
      return n >= 14 && n <= 19;
    }
    if (p4 >= 3528 && p4 <= 3589) {
      return n >= 16 && n <= 19;
    }
    if (p2 == 62) {
      return n >= 16 && n <= 19;
    }
    return false;
  }

  /**
   * The IBAN check (ISO 13616): letters and digits only, country letters then two check digits, the
   * length of the country's IBANs where known, and the number mod 97 = 1 with the first four
   * characters moved to the end and letters as 10..35.
   */
  public static boolean iban(CharSequence s) {
    int n = s.length();
    if (n < 15 || n > 34) {
      return false;
    }
    if (!Character.isUpperCase(s.charAt(0)) || !Character.isUpperCase(s.charAt(1))) {
      return false;
    }
    Integer want = IbanLengths.of(s.subSequence(0, 2).toString());
    if (want != null && want != n) {
      return false;
    }
    int rem = 0;
    for (int k = 0; k < n; k++) {
      char c = s.charAt((k + 4) % n);
      if (c >= '0' && c <= '9') {
        rem = (rem * 10 + (c - '0')) % 97;
      } else if (c >= 'A' && c <= 'Z') {
        rem = (rem * 100 + (c - 'A' + 10)) % 97;
      } else {
        return false;
      }
    }
    return rem == 1;
  }
}
