/** CCNet-style head / middle / tail buckets by perplexity percentiles (Wenzek et al. 2020). */
package dev.winnow.selection.ccnet;
