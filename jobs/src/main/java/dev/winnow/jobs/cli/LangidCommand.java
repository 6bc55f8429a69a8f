package dev.winnow.jobs.cli;

import dev.winnow.ingest.io.DocumentReader;
import dev.winnow.ingest.io.InputEntry;
import dev.winnow.jobs.curation.filter.LanguageFilter;
import dev.winnow.jobs.curation.filter.LanguageSection;
import dev.winnow.selection.langid.LanguageModels;
import dev.winnow.selection.langid.ProfileTrainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "langid",
    mixinStandardHelpOptions = true,
    subcommands = LangidCommand.Train.class,
    description = {
      "Language identification on files: every document out with meta.winnow.language = {lang, score}"
          + " (the curation job's language stage). --list prints the model's languages. With"
          + " --keep, documents in other languages (or below --min-score) go to the rejected file."
    })
public final class LangidCommand implements Callable<Integer> {
  @Option(
      names = "--input",
      arity = "1..*",
      description = "Input files (.jsonl, .jsonl.gz) or directories.")
  List<Path> inputs;

  @Option(names = "--output", description = "Output JSONL file (.gz compresses).")
  Path output;

  @Option(names = "--list", description = "Print the model's language codes and exit.")
  boolean list;

  @Option(
      names = "--model",
      description = "A `winnow langid train` model file (default: the built-in model).")
  String model;

  @Option(
      names = "--max-chars",
      defaultValue = "500",
      description = "Characters read per document (default: ${DEFAULT-VALUE}).")
  int maxChars;

  @Option(
      names = "--keep",
      split = ",",
      description = "Languages to keep, e.g. en,de (default: all, annotate only).")
  List<String> keep = new ArrayList<>();

  @Option(
      names = "--min-score",
      defaultValue = "0.65",
      description = "With --keep: lowest score kept (default: ${DEFAULT-VALUE}).")
  double minScore;

  @Option(
      names = "--rejected",
      description = "Rejected documents (default: <output>.rejected.jsonl).")
  Path rejected;

  @Override
  public Integer call() throws Exception {
    LanguageSection s = new LanguageSection();
    s.enabled = true;
    s.model = model;
    s.maxChars = maxChars;
    s.languages = keep;
    s.minScore = minScore;
    s.validate("langid");
    LanguageFilter filter = new LanguageFilter(s);
    if (list) {
      List<String> langs = filter.languages();
      System.out.println(String.join("\n", langs));
      System.err.println(langs.size() + " languages");
      return 0;
    }
    if (inputs == null || output == null) {
      throw new IllegalArgumentException("--input and --output are required (or --list)");
    }
    var summary =
        FileFilterRun.run(
            List.of(filter),
            inputs,
            output,
            rejected != null ? rejected : FileFilterRun.beside(output, ".rejected.jsonl"),
            Path.of(output + ".rejects.jsonl"));
    System.err.println(summary.line("langid"));
    return 0;
  }

  @Command(
      name = "train",
      mixinStandardHelpOptions = true,
      description = {
        "Trains a language model from labelled documents (the label in meta.<label-field>): one"
            + " profile of character 1-3-gram counts per language, as JSON lines; use it with"
            + " `langid --model` or language.model in the curation config."
      })
  static final class Train implements Callable<Integer> {
    @Option(
        names = "--input",
        required = true,
        arity = "1..*",
        description = "Labelled JSONL files or directories.")
    List<Path> inputs;

    @Option(names = "--output", required = true, description = "Model file (.jsonl or .jsonl.gz).")
    Path output;

    @Option(
        names = "--label-field",
        defaultValue = "lang",
        description = "Key of meta holding the language code (default: ${DEFAULT-VALUE}).")
    String labelField;

    @Option(
        names = "--min-count",
        defaultValue = "2",
        description = "Grams seen fewer times are pruned (default: ${DEFAULT-VALUE}).")
    int minCount;

    @Option(
        names = "--with-built-in",
        description = "Also include the built-in profiles of languages the input lacks.")
    boolean withBuiltIn;

    @Override
    public Integer call() throws Exception {
      ProfileTrainer t = new ProfileTrainer(minCount);
      long docs = 0;
      long unlabelled = 0;
      try (DocumentReader r = new DocumentReader(inputs)) {
        while (r.hasNext()) {
          InputEntry e = r.next();
          if (!e.ok()) {
            continue;
          }
          Object label = e.document().meta().get(labelField);
          if (!(label instanceof String l) || !l.matches("[a-z]{2,3}")) {
            unlabelled++;
            continue;
          }
          t.add(l, e.document().text());
          docs++;
        }
      }
      if (docs == 0) {
        throw new IllegalArgumentException(
            "no document with a language code (2 or 3 lower-case letters) in meta." + labelField);
      }
      var profiles = new ArrayList<>(t.profiles());
      if (withBuiltIn) {
        for (var p : LanguageModels.builtInProfiles()) {
          if (!t.languages().contains(p.lang())) {
            profiles.add(p);
          }
        }
      }
      LanguageModels.write(profiles, output);
      System.err.printf(
          "langid train: %,d documents of %d languages (%,d without a label skipped) -> %s (%d profiles)%n",
          docs, t.languages().size(), unlabelled, output, profiles.size());
      return 0;
    }
  }
}
