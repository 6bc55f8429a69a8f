/**
 * PII redaction: {@link dev.winnow.selection.pii.PiiRedactor} finds e-mail addresses, IPv4/IPv6
 * addresses, phone numbers, payment cards (Luhn and issuer prefix, {@link
 * dev.winnow.selection.pii.Checksums}) and IBANs (mod 97) and replaces them with placeholders by
 * {@link dev.winnow.selection.pii.PiiKind}. It never rejects; the curation job's {@code pii} stage
 * counts finds per kind.
 */
package dev.winnow.selection.pii;
