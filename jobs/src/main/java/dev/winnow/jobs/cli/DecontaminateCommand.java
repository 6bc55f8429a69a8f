package dev.winnow.jobs.cli;

import dev.winnow.jobs.curation.filter.DecontaminateFilter;
import dev.winnow.jobs.curation.filter.DecontaminateSection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "decontaminate",
    mixinStandardHelpOptions = true,
    description = {
      "Benchmark decontamination on files (the curation job's decontaminate stage): documents that"
          + " share a word n-gram (default 13) with a benchmark item go to --rejected with rule"
          + " contaminated and the benchmark, item and n-gram; the others to --output."
    })
public final class DecontaminateCommand implements Callable<Integer> {
  @Option(
      names = "--benchmark",
      required = true,
      arity = "1..*",
      description = "Benchmark files (JSONL, .gz too), one item a line.")
  List<String> benchmarks;

  @Option(
      names = "--input",
      required = true,
      arity = "1..*",
      description = "Input files (.jsonl, .jsonl.gz) or directories.")
  List<Path> inputs;

  @Option(
      names = "--output",
      required = true,
      description = "Clean documents (JSONL, .gz compresses).")
  Path output;

  @Option(
      names = "--rejected",
      description = "Contaminated documents (default: <output>.rejected.jsonl).")
  Path rejected;

  @Option(
      names = "--fields",
      split = ",",
      description =
          "Item fields to match, e.g. question,answer (default: every string field but id).")
  List<String> fields = new ArrayList<>();

  @Option(
      names = "--ngram",
      defaultValue = "13",
      description = "Words per n-gram (default: ${DEFAULT-VALUE}).")
  int ngram;

  @Override
  public Integer call() throws Exception {
    DecontaminateSection s = new DecontaminateSection();
    s.enabled = true;
    s.benchmarks = benchmarks;
    s.fields = fields;
    s.ngram = ngram;
    s.validate("decontaminate");
    DecontaminateFilter f = new DecontaminateFilter(s);
    long heap0 = usedHeap();
    var idx = f.index();
    long heap = usedHeap() - heap0;
    System.err.printf(
        "decontaminate: %,d items, %,d n-grams indexed, %,d bytes of index (%,.0f per item; heap grew %,d bytes)%n",
        idx.items(), idx.keys(), idx.bytes(), idx.bytes() / Math.max(1.0, idx.items()), heap);
    var summary =
        FileFilterRun.run(
            List.of(f),
            inputs,
            output,
            rejected != null ? rejected : FileFilterRun.beside(output, ".rejected.jsonl"),
            Path.of(output + ".rejects.jsonl"));
    System.err.println(summary.line("decontaminate"));
    return 0;
  }

  private static long usedHeap() {
    Runtime rt = Runtime.getRuntime();
    System.gc();
    return rt.totalMemory() - rt.freeMemory();
  }
}
