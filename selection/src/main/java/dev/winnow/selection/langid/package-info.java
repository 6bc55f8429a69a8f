/**
 * Language identification: {@link dev.winnow.selection.langid.LanguageIdentifier} (naive Bayes over
 * character 1- to 3-grams, deterministic), the built-in profiles of 72 languages ({@link
 * dev.winnow.selection.langid.LanguageModels#builtIn()}: derived from the n-gram frequencies of
 * Lingua 1.2.2's models; Lingua's own detector is not used) and {@link
 * dev.winnow.selection.langid.ProfileTrainer} for training profiles of other languages or domains
 * ({@code winnow langid train}). Codes are ISO 639-1 where the language has one, else ISO 639-3
 * ({@code ast}); {@code und} for a text without letters or in a script the model lacks. Measured
 * accuracy and speed: the root README, "Language identification".
 */
package dev.winnow.selection.langid;
