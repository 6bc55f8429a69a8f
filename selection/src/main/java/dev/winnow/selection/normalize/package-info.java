/**
 * Text canonicalisation before filtering and exact dedup: {@link
 * dev.winnow.selection.normalize.TextNormalizer}.
 */
package dev.winnow.selection.normalize;
