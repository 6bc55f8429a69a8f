package dev.winnow.jobs.cli;

import dev.winnow.jobs.curation.filter.DocumentFilter;
import dev.winnow.jobs.curation.filter.UrlFilter;
import dev.winnow.jobs.curation.filter.UrlFilterSection;
import dev.winnow.jobs.curation.filter.WordsFilter;
import dev.winnow.jobs.curation.filter.WordsFilterSection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "blocklist",
    mixinStandardHelpOptions = true,
    description = {
      "The URL and word blocklists on files (the curation job's url and words stages): documents"
          + " whose meta.url domain or URL words are listed (url_domain, url_word, url_soft_words) or with more than"
          + " --max-fraction listed words (blocked_words) go to --rejected, the others to --output."
    })
public final class BlocklistCommand implements Callable<Integer> {
  @Option(
      names = "--input",
      required = true,
      arity = "1..*",
      description = "Input files (.jsonl, .jsonl.gz) or directories.")
  List<Path> inputs;

  @Option(
      names = "--output",
      required = true,
      description = "Kept documents (JSONL, .gz compresses).")
  Path output;

  @Option(
      names = "--rejected",
      description = "Rejected documents (default: <output>.rejected.jsonl).")
  Path rejected;

  @Option(names = "--domains", description = "Blocked domains, one a line.")
  String domains;

  @Option(names = "--url-words", description = "Words banned in URLs, one a line.")
  String urlWords;

  @Option(
      names = "--url-soft-words",
      description =
          "Soft-banned URL words, one a line: a URL with at least --soft-threshold distinct ones is"
              + " rejected (url_soft_words).")
  String urlSoftWords;

  @Option(
      names = "--soft-threshold",
      defaultValue = "2",
      description =
          "Distinct soft words that reject a URL (default: ${DEFAULT-VALUE}, datatrove's).")
  int softThreshold;

  @Option(
      names = "--url-field",
      defaultValue = "url",
      description = "Key of meta holding the URL (default: ${DEFAULT-VALUE}).")
  String urlField;

  @Option(
      names = "--words",
      description = "Word list for the blocked_words rule, one word or phrase a line.")
  String words;

  @Option(
      names = "--max-fraction",
      defaultValue = "0.0",
      description = "Largest kept share of listed words (default: ${DEFAULT-VALUE}: any rejects).")
  double maxFraction;

  @Override
  public Integer call() throws Exception {
    List<DocumentFilter> filters = new ArrayList<>();
    if (domains != null || urlWords != null || urlSoftWords != null) {
      UrlFilterSection u = new UrlFilterSection();
      u.enabled = true;
      u.domainsFile = domains;
      u.wordsFile = urlWords;
      u.softWordsFile = urlSoftWords;
      u.softWordThreshold = softThreshold;
      u.urlField = urlField;
      u.validate("url");
      filters.add(new UrlFilter(u));
    }
    if (words != null) {
      WordsFilterSection w = new WordsFilterSection();
      w.enabled = true;
      w.file = words;
      w.maxFraction = maxFraction;
      w.validate("words");
      filters.add(new WordsFilter(w));
    }
    if (filters.isEmpty()) {
      throw new IllegalArgumentException(
          "give at least one list: --domains, --url-words, --url-soft-words or --words");
    }
    var summary =
        FileFilterRun.run(
            filters,
            inputs,
            output,
            rejected != null ? rejected : FileFilterRun.beside(output, ".rejected.jsonl"),
            Path.of(output + ".rejects.jsonl"));
    System.err.println(summary.line("blocklist"));
    return 0;
  }
}
