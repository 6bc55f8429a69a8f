/**
 * Budgeted selection: keep the best documents (or sample by DSIR weight with Gumbel top-k) up to a
 * document or token budget, with per-source mixture shares; bounded and streaming.
 */
package dev.winnow.selection.budget;
