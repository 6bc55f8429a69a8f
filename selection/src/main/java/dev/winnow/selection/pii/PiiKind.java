package dev.winnow.selection.pii;

/** The kinds of personal data {@link PiiRedactor} finds, in the order overlapping finds win. */
public enum PiiKind {
  EMAIL("email", "<EMAIL>"),
  IBAN("iban", "<IBAN>"),
  CARD("card", "<CARD>"),
  IP("ip", "<IP>"),
  PHONE("phone", "<PHONE>");

  private final String key;
  private final String placeholder;

  PiiKind(String key, String placeholder) {
    this.key = key;
    this.placeholder = placeholder;
  }

  /** The lower-case name used in configs and in {@code meta.winnow.pii}. */
  public String key() {
    return key;
  }

  /** The typed placeholder that replaces a find by default. */
  public String defaultPlaceholder() {
    return placeholder;
  }
}
