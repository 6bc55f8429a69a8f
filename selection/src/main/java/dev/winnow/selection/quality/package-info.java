/**
 * Heuristic document quality filters with datatrove's semantics and defaults: Gopher quality,
 * Gopher repetition, C4 and FineWeb, run together by {@link
 * dev.winnow.selection.quality.QualityPipeline} from a {@link
 * dev.winnow.selection.quality.QualityConfig}.
 *
 * <p>Every rejection names its filter and rule (a {@link dev.winnow.selection.quality.Rejection});
 * the rule names are datatrove's reason strings:
 *
 * <ul>
 *   <li>{@code gopher_quality}: {@code gopher_short_doc}, {@code gopher_long_doc}, {@code
 *       gopher_below_avg_threshold}, {@code gopher_above_avg_threshold}, {@code
 *       gopher_too_many_hashes}, {@code gopher_too_many_ellipsis}, {@code gopher_too_many_bullets},
 *       {@code gopher_too_many_end_ellipsis}, {@code gopher_below_alpha_threshold}, {@code
 *       gopher_enough_stop_words}
 *   <li>{@code gopher_repetition}: {@code dup_para_frac}, {@code dup_para_char_frac}, {@code
 *       dup_line_frac}, {@code dup_line_char_frac}, {@code top_2_gram} .. {@code top_4_gram},
 *       {@code duplicated_5_n_grams} .. {@code duplicated_10_n_grams}
 *   <li>{@code c4}: document rules {@code lorem_ipsum}, {@code curly_bracket}, {@code
 *       too_few_sentences}; line rules (lines removed and counted, not rejections) {@code
 *       too_long_word}, {@code no_terminal_punc}, {@code too_few_words}, {@code javascript}, {@code
 *       policy}
 *   <li>{@code fineweb}: {@code line_punct_ratio}, {@code short_line_ratio}, {@code
 *       char_dup_ratio}, {@code list_ratio}; with preset {@code datatrove-0.10} also {@code empty}
 *       (no non-blank line)
 * </ul>
 *
 * <p>{@link dev.winnow.selection.quality.QualityPreset} picks datatrove's rules of 0.10.0 ({@code
 * datatrove-0.10}, the default) or of mid-2024 ({@code datatrove-2024}); {@code
 * QualityConfig.order} runs the two Gopher filters in FineWeb's order ({@code fineweb}).
 *
 * <p>Word tokens come from {@code WordTokenizer}. datatrove 0.10's default English word tokenizer
 * is spaCy's rule-based tokenizer (mid-2024 datatrove used NLTK's {@code word_tokenize}): with
 * preset {@code datatrove-0.10} the tokenizer follows spaCy's rules where they differ from NLTK's
 * (keep/drop decisions equal to datatrove 0.10.0's on 99.98% of the shared corpora, {@code
 * bench/results/quality-presets.md}); with {@code datatrove-2024} it is the documented
 * approximation of NLTK's {@code word_tokenize}.
 *
 * <p>Parity check for {@code datatrove-2024} (done once by hand, not a test: it needs Python and
 * NLTK): each filter was run on the normalized shared corpora (first 3,000 news and web documents,
 * all speeches and prose) next to datatrove's rules re-expressed in Python over NLTK tokens (a
 * Punkt model trained on the corpora). Same decision and same rule name: Gopher quality 100% (news,
 * web, speeches) and 98.8% (Brown prose, documents at the alphabetic-word bound); Gopher repetition
 * 100% except web 99.0% (mostly which top n-gram rule fires first on one-line texts, as Treebank
 * writes quotes as two characters); C4 99.97–100%; FineWeb 100%.
 */
package dev.winnow.selection.quality;
