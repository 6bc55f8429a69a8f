package dev.winnow.jobs.cli;

import dev.winnow.jobs.curation.filter.PiiFilter;
import dev.winnow.jobs.curation.filter.PiiSection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "redact",
    mixinStandardHelpOptions = true,
    description = {
      "PII redaction on files (the curation job's pii stage): every document out with e-mail, IP,"
          + " phone, card (Luhn-checked) and IBAN (check digits) finds replaced and counted in"
          + " meta.winnow.pii."
    })
public final class RedactCommand implements Callable<Integer> {
  @Option(
      names = "--input",
      required = true,
      arity = "1..*",
      description = "Input files (.jsonl, .jsonl.gz) or directories.")
  List<Path> inputs;

  @Option(names = "--output", required = true, description = "Output JSONL file (.gz compresses).")
  Path output;

  @Option(
      names = "--preset",
      defaultValue = "typed",
      description =
          "typed (<EMAIL>, <IP>, <PHONE>, <CARD>, <IBAN>) or datatrove (e-mail and IP only: email@example.com, 0.0.0.0); default: ${DEFAULT-VALUE}.")
  String preset;

  @Option(
      names = "--kinds",
      split = ",",
      description = "Kinds to redact: email,ip,phone,card,iban (default: the preset's).")
  List<String> kinds = new ArrayList<>();

  @Option(names = "--placeholder", description = "KIND=TEXT, e.g. email=[email] (repeatable).")
  java.util.Map<String, String> placeholders = new java.util.LinkedHashMap<>();

  @Option(
      names = "--allow",
      arity = "1..*",
      description = "Finds to keep as they are, e.g. support@example.com.")
  List<String> allow = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    PiiSection s = new PiiSection();
    s.enabled = true;
    s.preset = preset;
    s.kinds = kinds;
    s.placeholders = placeholders;
    s.allowList = allow;
    s.validate("redact");
    var summary =
        FileFilterRun.run(
            List.of(new PiiFilter(s)),
            inputs,
            output,
            FileFilterRun.beside(output, ".rejected.jsonl"),
            Path.of(output + ".rejects.jsonl"));
    System.err.println(summary.line("redact"));
    return 0;
  }
}
