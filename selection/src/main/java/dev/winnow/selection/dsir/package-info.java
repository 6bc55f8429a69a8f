/**
 * DSIR, data selection with importance resampling (Xie et al. 2023): hashed n-gram features ({@link
 * dev.winnow.selection.dsir.HashedNgramFeaturizer}), target and raw distributions ({@link
 * dev.winnow.selection.dsir.NgramDistribution}) and the per-document log-importance weight ({@link
 * dev.winnow.selection.dsir.DsirModel}). Sampling by the weights is {@link
 * dev.winnow.selection.budget}'s Gumbel top-k.
 */
package dev.winnow.selection.dsir;
