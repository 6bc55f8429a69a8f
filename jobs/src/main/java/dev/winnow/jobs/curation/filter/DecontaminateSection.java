package dev.winnow.jobs.curation.filter;

import static dev.winnow.jobs.config.ConfigChecks.CHECK;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Benchmark decontamination: a document that shares a word {@link #ngram}-gram with a benchmark
 * item is rejected with rule {@code contaminated}, naming the benchmark file, the item and the
 * n-gram; an item shorter than {@code ngram} words is matched whole. Items are the lines of the
 * {@link #benchmarks} files (JSONL, .gz too), their text the {@link #fields} joined (default: every
 * string or list-of-strings field but {@code id}); the item id is the line's {@code id}, else
 * {@code line N}. Each subtask builds the index in {@code open()} (heap, not state).
 */
public class DecontaminateSection implements Serializable {
  private static final long serialVersionUID = 1L;
  public boolean enabled = false;

  /** Benchmark files (JSONL or JSONL.gz, one item a line). */
  public List<String> benchmarks = new ArrayList<>();

  /** The item fields whose text is matched; empty = every string field but id. */
  public List<String> fields = new ArrayList<>();

  /** Words per n-gram (GPT-3 and datatrove: 13). */
  public int ngram = 13;

  public void validate(String path) {
    CHECK.require(
        benchmarks != null, path + ".benchmarks", "must be a list of files (may be empty)");
    for (int i = 0; i < benchmarks.size(); i++) {
      CHECK.nonBlank(path + ".benchmarks[" + i + "]", benchmarks.get(i));
    }
    CHECK.require(
        !enabled || !benchmarks.isEmpty(),
        path + ".benchmarks",
        "required when " + path + ".enabled is true: the benchmark files (JSONL) to keep out");
    CHECK.require(
        fields != null, path + ".fields", "must be a list (may be empty: every string field)");
    CHECK.range(path + ".ngram", ngram, 1, 1000, "GPT-3 and datatrove use 13 words");
  }
}
