/**
 * Benchmark decontamination: {@link dev.winnow.selection.decontam.BenchmarkIndex} holds the word
 * n-grams ({@link dev.winnow.selection.decontam.NgramWords}) of benchmark items; a document sharing
 * one is {@code contaminated} (the curation job's {@code decontaminate} stage rejects it, naming
 * the benchmark, the item and the n-gram).
 */
package dev.winnow.selection.decontam;
