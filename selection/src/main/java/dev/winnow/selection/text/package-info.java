/**
 * Text primitives shared by the quality filters and prompt compression: the sentence splitter
 * ({@link dev.winnow.selection.text.SentenceSplitter}, one algorithm with two named rule sets), the
 * abbreviation lists it and the word tokenizer use, and the two definitions of whitespace.
 */
package dev.winnow.selection.text;
