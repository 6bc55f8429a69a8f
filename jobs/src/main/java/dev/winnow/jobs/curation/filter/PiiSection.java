package dev.winnow.jobs.curation.filter;

import static dev.winnow.jobs.config.ConfigChecks.CHECK;

import dev.winnow.selection.pii.PiiKind;
import dev.winnow.selection.pii.PiiRedactor;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * PII redaction ({@link PiiRedactor}): e-mail addresses, IPv4/IPv6 addresses, phone numbers,
 * payment cards (Luhn) and IBANs (mod 97) replaced by placeholders, counts per kind in {@code
 * meta.winnow.pii}. Never rejects. Preset {@code typed} replaces with {@code <EMAIL>}, {@code
 * <IP>}, {@code <PHONE>}, {@code <CARD>}, {@code <IBAN>}; preset {@code datatrove} does what
 * datatrove's PII formatter does: only e-mail and IP addresses, by {@code email@example.com} and
 * {@code 0.0.0.0}.
 */
public class PiiSection implements Serializable {
  private static final long serialVersionUID = 1L;
  public boolean enabled = false;

  /** {@code typed} or {@code datatrove}. */
  public String preset = "typed";

  /** Kinds to redact (email, ip, phone, card, iban); empty = the preset's. */
  public List<String> kinds = new ArrayList<>();

  /** Placeholders by kind, overriding the preset's, e.g. {@code {email: "[email]"}}. */
  public Map<String, String> placeholders = new LinkedHashMap<>();

  /** Finds kept as they are (compared case-insensitively), e.g. the project's support address. */
  public List<String> allowList = new ArrayList<>();

  public void validate(String path) {
    CHECK.oneOf(path + ".preset", preset, "typed", "datatrove");
    CHECK.require(kinds != null, path + ".kinds", "must be a list (may be empty)");
    for (int i = 0; i < kinds.size(); i++) {
      CHECK.require(
          kind(kinds.get(i)) != null,
          path + ".kinds[" + i + "]",
          "\"" + kinds.get(i) + "\" must be one of email, ip, phone, card, iban");
    }
    CHECK.require(placeholders != null, path + ".placeholders", "must be a map (may be empty)");
    for (var e : placeholders.entrySet()) {
      CHECK.require(
          kind(e.getKey()) != null,
          path + ".placeholders." + e.getKey(),
          "unknown kind; kinds are email, ip, phone, card, iban");
      CHECK.require(
          e.getValue() != null,
          path + ".placeholders." + e.getKey(),
          "must be a string (may be empty)");
    }
    CHECK.require(allowList != null, path + ".allowList", "must be a list (may be empty)");
  }

  /** The redactor this section describes. */
  public PiiRedactor redactor() {
    Map<PiiKind, String> p = new EnumMap<>(PiiKind.class);
    List<PiiKind> on = new ArrayList<>();
    if (kinds.isEmpty()) {
      on.addAll(
          preset.equals("datatrove")
              ? List.of(PiiKind.EMAIL, PiiKind.IP)
              : List.of(PiiKind.values()));
    } else {
      kinds.forEach(k -> on.add(kind(k)));
    }
    for (PiiKind k : on) {
      String def = k.defaultPlaceholder();
      if (preset.equals("datatrove") && k == PiiKind.EMAIL) {
        def = "email@example.com";
      } else if (preset.equals("datatrove") && k == PiiKind.IP) {
        def = "0.0.0.0";
      }
      p.put(k, placeholders.getOrDefault(k.key(), def));
    }
    return new PiiRedactor(p, allowList);
  }

  private static PiiKind kind(String key) {
    if (key == null) {
      return null;
    }
    for (PiiKind k : PiiKind.values()) {
      if (k.key().equals(key.toLowerCase(Locale.ROOT))) {
        return k;
      }
    }
    return null;
  }
}
