package dev.winnow.jobs.curation.scoring;

import dev.winnow.jobs.config.ModelCalls;

/**
 * Instruction-following difficulty (IFD, Li et al. 2024; with a proxy model as in Superfiltering)
 * of documents that carry a (prompt, response) pair: {@code meta.winnow.ifd} = {@code {ifd,
 * conditional_ppl, response_ppl, model}}. The pair is read from the document's own metadata,
 * top-level keys {@link #promptField} and {@link #responseField}, both strings; a document without
 * both (absent, null or not a string) is not instruction data and passes through unchanged. Pairs
 * are batched like the perplexity stage's documents, one model per TaskManager JVM.
 */
public class IfdSection extends ModelCalls {
  private static final long serialVersionUID = 1L;
  public boolean enabled = false;

  /** Key in the document's {@code meta} holding the prompt (instruction and input). */
  public String promptField = "prompt";

  /** Key in the document's {@code meta} holding the response. */
  public String responseField = "response";
}
