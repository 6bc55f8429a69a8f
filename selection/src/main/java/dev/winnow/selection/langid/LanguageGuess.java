package dev.winnow.selection.langid;

/**
 * A detected language and how sure the detector is.
 *
 * @param lang ISO 639-1 code where the language has one, else ISO 639-3; {@value #UNKNOWN} when the
 *     text has no letters
 * @param score the tempered posterior probability of {@code lang} in [0, 1] ({@link
 *     LanguageIdentifier})
 */
public record LanguageGuess(String lang, double score) {
  /** The language of a text without any letter to go by. */
  public static final String UNKNOWN = "und";
}
