package dev.winnow.bench.langid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.pemistahl.lingua.api.Language;
import com.optimaize.langdetect.LanguageDetectorBuilder;
import com.optimaize.langdetect.ngram.NgramExtractors;
import com.optimaize.langdetect.profiles.LanguageProfileReader;
import com.optimaize.langdetect.text.CommonTextObjectFactories;
import com.optimaize.langdetect.text.TextObjectFactory;
import dev.winnow.bench.BenchEnv;
import dev.winnow.selection.langid.LanguageIdentifier;
import dev.winnow.selection.langid.LanguageModels;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;

/**
 * Language identification: accuracy per language on the UDHR translations of {@code
 * ../shared/corpora/udhr.jsonl.gz} cut into consecutive 100-, 300- and 1000-character pieces
 * (whitespace collapsed, BOM removed; labels from the translation's name, {@code udhr-iso.tsv};
 * only languages the detector supports), speed in documents per CPU-second of the measuring thread
 * on the news corpus (3,189 documents, mean 1,264 characters), and heap of the loaded model.
 * Winnow's detector (built-in model, whole text and first 500 characters), Optimaize
 * language-detector 0.6 and Lingua 1.2.2 (low-accuracy mode; high-accuracy mode is slower still).
 * Writes {@code bench/results/langid.md}.
 *
 * <p>One rule excludes broken test files, and every table is given with and without them: a UDHR
 * file is excluded when it holds more U+FFFD replacement characters than 1% of its letters (lost
 * letters: the second Czech file). One file is repaired instead ({@link #LATVIAN}): the Latvian
 * file is in a legacy font encoding read as Latin-1, every one of its 16 non-ASCII code points
 * standing for one Latvian letter; the table maps them back. Languages the model does not list are
 * not counted (Bosnian, Punjabi; Indonesian, which the model answers {@code ms}, gets a line of its
 * own).
 *
 * <p>Beside the UDHR, Winnow's default detector is run on the translated messages of the software
 * installed on the machine ({@link MessageCatalogText}, {@code -Dwinnow.locale}, default {@code
 * /usr/share/locale}): the check on text that nothing was chosen on, and the only test text for the
 * model's languages without a UDHR file here.
 */
public final class LanguageIdBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();

  private LanguageIdBenchmark() {}

  /**
   * The Latvian UDHR file's legacy encoding: each of its non-ASCII code points (as read, Latin-1)
   * and the Latvian letter it stands for (checked on words: ierobežojumiem, atšķirības, sapulču,
   * Ģenerālā).
   */
  static final Map<Character, Character> LATVIAN =
      Map.ofEntries(
          Map.entry('â', 'ā'),
          Map.entry('è', 'ē'),
          Map.entry('ì', 'ī'),
          Map.entry('ú', 'ū'),
          Map.entry('ø', 'š'),
          Map.entry('ð', 'ņ'),
          Map.entry('î', 'ļ'),
          Map.entry('å', 'ģ'),
          Map.entry('æ', 'ķ'),
          Map.entry('ý', 'ž'),
          Map.entry('à', 'č'),
          Map.entry('Â', 'Ā'),
          Map.entry('È', 'Ē'),
          Map.entry('Ì', 'Ī'),
          Map.entry('Ø', 'Š'),
          Map.entry('Å', 'Ģ'));

  static final String LATVIAN_FILE = "Latvian-Latin1";

  /** A UDHR file's text as the pieces are cut from it (the Latvian file repaired). */
  static String text(String name, JsonNode doc) {
    String text = doc.get("text").asText().replace("\uFEFF", "").replaceAll("\\s+", " ").trim();
    if (name.equals(LATVIAN_FILE)) {
      StringBuilder sb = new StringBuilder(text.length());
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        Character to = LATVIAN.get(c);
        if (to == null && c > 127) {
          throw new IllegalStateException(
              "Latvian UDHR file: no mapping for U+" + Integer.toHexString(c) + " (" + c + ")");
        }
        sb.append(to == null ? c : to);
      }
      text = sb.toString();
    }
    return text;
  }

  record Detector(String name, Function<String, String> detect, Set<String> languages, long heap) {}

  public static void main(String[] args) throws Exception {
    Map<String, String> iso = new HashMap<>();
    try (InputStream in =
        LanguageIdBenchmark.class.getResourceAsStream("/dev/winnow/bench/langid/udhr-iso.tsv")) {
      for (String l : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        String[] p = l.split("\t");
        iso.put(p[0], p[1]);
      }
    }
    List<JsonNode> udhr = read(BenchEnv.shared().resolve("corpora/udhr.jsonl.gz"));
    List<String> news = new ArrayList<>();
    for (JsonNode d : read(BenchEnv.shared().resolve("corpora/news.jsonl.gz"))) {
      news.add(d.get("text").asText());
    }
    Map<String, String> excluded = exclusions(udhr, iso);
    List<String> only = args.length > 0 ? List.of(args) : List.of("winnow", "optimaize", "lingua");
    StringBuilder md = new StringBuilder();
    md.append("# Language identification\n\n")
        .append(LocalDate.now())
        .append(", ")
        .append(BenchEnv.machine())
        .append(
            ". Speed is documents per CPU-second of the one measuring thread (the machine was"
                + " shared and loaded: wall-clock rates were up to 2x lower), best of 5 passes over"
                + " the 3,189 news documents (mean 1,264 characters).\n\n")
        .append(
            "Excluded UDHR files (U+FFFD for more than 1% of the letters; tables are given for all"
                + " files and without these):\n\n");
    excluded.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
    md.append(
        "\nRepaired: "
            + LATVIAN_FILE
            + " (a legacy Latvian font encoding read as Latin-1; its 16 non-ASCII code points"
            + " mapped to the letters they stand for, LanguageIdBenchmark.LATVIAN).\n\n");
    for (String which : only) {
      for (Detector d : detectors(which)) {
        report(d, udhr, iso, news, md, excluded);
      }
    }
    Path out = BenchEnv.result("langid.md");
    Files.writeString(out, md.toString());
    System.out.println(md);
  }

  static List<Detector> detectors(String which) throws Exception {
    long before = heap();
    switch (which) {
      case "winnow" -> {
        LanguageIdentifier id = LanguageModels.builtIn();
        long h = heap() - before;
        Set<String> langs = new TreeSet<>(id.languages());
        return List.of(
            new Detector("winnow (first 500 chars)", t -> id.detect(t, 500).lang(), langs, h),
            new Detector("winnow (whole text)", t -> id.detect(t).lang(), langs, h));
      }
      case "optimaize" -> {
        var profiles = new LanguageProfileReader().readAllBuiltIn();
        var d =
            LanguageDetectorBuilder.create(NgramExtractors.standard())
                .withProfiles(profiles)
                .build();
        TextObjectFactory tof = CommonTextObjectFactories.forDetectingOnLargeText();
        Set<String> langs = new TreeSet<>();
        profiles.forEach(p -> langs.add(p.getLocale().getLanguage()));
        long h = heap() - before;
        return List.of(
            new Detector(
                "optimaize language-detector 0.6",
                t -> {
                  var ps = d.getProbabilities(tof.forText(t));
                  return ps.isEmpty() ? "und" : ps.get(0).getLocale().getLanguage();
                },
                langs,
                h));
      }
      case "lingua" -> {
        var d =
            com.github.pemistahl.lingua.api.LanguageDetectorBuilder.fromAllLanguages()
                .withLowAccuracyMode()
                .withPreloadedLanguageModels()
                .build();
        Set<String> langs = new TreeSet<>();
        for (Language l : Language.values()) {
          if (l != Language.UNKNOWN) {
            langs.add(l.getIsoCode639_1().toString().toLowerCase(Locale.ROOT));
          }
        }
        long h = heap() - before;
        return List.of(
            new Detector(
                "lingua 1.2.2 (low accuracy mode)",
                t -> {
                  Language l = d.detectLanguageOf(t);
                  return l == Language.UNKNOWN
                      ? "und"
                      : l.getIsoCode639_1().toString().toLowerCase(Locale.ROOT);
                },
                langs,
                h));
      }
      default -> throw new IllegalArgumentException("unknown detector " + which);
    }
  }

  static void report(
      Detector d,
      List<JsonNode> udhr,
      Map<String, String> iso,
      List<String> news,
      StringBuilder md,
      Map<String, String> excluded) {
    md.append("## ").append(d.name()).append("\n\n");
    md.append(
        String.format(
            "%d languages; model heap about %d MiB.%n%n",
            d.languages().size(), d.heap() / (1024 * 1024)));
    Map<String, Map<Integer, int[]>> per = new TreeMap<>();
    Map<String, Map<Integer, int[]>> clean = new TreeMap<>();
    int[] sizes = {100, 300, 1000};
    for (JsonNode doc : udhr) {
      String name = doc.get("source").asText().substring("udhr/".length());
      String want = iso.get(name);
      if (want == null) {
        continue;
      }
      boolean supported =
          d.languages().contains(want) || (want.equals("nb") && d.languages().contains("no"));
      if (!supported) {
        continue;
      }
      String text = text(name, doc);
      for (int n : sizes) {
        for (int i = 0; i + n <= text.length(); i += n) {
          String got = d.detect().apply(text.substring(i, i + n));
          boolean ok = got.equals(want) || (want.equals("nb") && got.equals("no"));
          count(per, want, n, ok);
          if (!excluded.containsKey(name)) {
            count(clean, want, n, ok);
          }
        }
      }
    }
    indonesianLine(d, udhr, iso, sizes, md);
    md.append("All UDHR files:\n\n");
    table(per, sizes, md);
    md.append("Without the excluded files:\n\n");
    table(clean, sizes, md);
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    double best = 0;
    int english = 0;
    int passes = d.name().startsWith("lingua") ? 1 : 5;
    for (int r = 0; r < passes; r++) {
      long t0 = mx.getCurrentThreadCpuTime();
      english = 0;
      for (String t : news) {
        if (d.detect().apply(t).equals("en")) {
          english++;
        }
      }
      double s = (mx.getCurrentThreadCpuTime() - t0) / 1e9;
      best = Math.max(best, news.size() / s);
    }
    md.append(
        String.format(
            "News: %,.0f docs per CPU-second (best of %d), %d of %d detected as English.%n%n",
            best, passes, english, news.size()));
    if (d.name().startsWith("winnow (first 500")) {
      catalogues(d, iso, md);
    }
    System.err.println(d.name() + " done");
  }

  /** For a detector that answers Indonesian text {@code ms}: how often it does on the UDHR file. */
  private static void indonesianLine(
      Detector d, List<JsonNode> udhr, Map<String, String> iso, int[] sizes, StringBuilder md) {
    if (d.languages().contains("id") || !d.languages().contains("ms")) {
      return;
    }
    StringBuilder line = new StringBuilder();
    for (JsonNode doc : udhr) {
      String name = doc.get("source").asText().substring("udhr/".length());
      if (!"id".equals(iso.get(name))) {
        continue;
      }
      String text = text(name, doc);
      for (int n : sizes) {
        int ok = 0;
        int all = 0;
        for (int i = 0; i + n <= text.length(); i += n) {
          all++;
          ok += d.detect().apply(text.substring(i, i + n)).equals("ms") ? 1 : 0;
        }
        line.append(String.format("%s%d of %d at %d", line.length() > 0 ? ", " : "", ok, all, n));
      }
    }
    md.append("Indonesian is not a label of its own (answered `ms`, the Malay macrolanguage): the")
        .append(" UDHR Indonesian pieces answered `ms`: ")
        .append(line)
        .append(".\n\n");
  }

  /** Accuracy on the machine's software message catalogues ({@link MessageCatalogText}). */
  private static void catalogues(Detector d, Map<String, String> iso, StringBuilder md) {
    Path locale = Path.of(System.getProperty("winnow.locale", "/usr/share/locale"));
    Set<String> inUdhr = new TreeSet<>(iso.values());
    Map<String, String> expect = new TreeMap<>();
    for (String l : d.languages()) {
      expect.put(l, l);
    }
    expect.put("id", "ms");
    int[] sizes = {100, 300, 1000};
    int cap = 300;
    StringBuilder line = new StringBuilder();
    List<String> under = new ArrayList<>();
    int langs = 0;
    for (var e : expect.entrySet()) {
      String text;
      try {
        text = MessageCatalogText.of(locale, e.getKey());
      } catch (java.io.IOException ex) {
        throw new java.io.UncheckedIOException(ex);
      }
      if (text.length() < 20 * 1000) {
        continue; // too little text for 20 pieces of 1000
      }
      langs++;
      line.append(e.getKey().equals(e.getValue()) ? e.getKey() : e.getKey() + "→" + e.getValue());
      line.append(inUdhr.contains(e.getKey()) ? "" : " (no UDHR file)");
      double at300 = 0;
      for (int n : sizes) {
        int ok = 0;
        int all = 0;
        for (int i = 0; i + n <= text.length() && all < cap; i += n) {
          all++;
          ok += d.detect().apply(text.substring(i, i + n)).equals(e.getValue()) ? 1 : 0;
        }
        double a = ok / (double) all;
        at300 = n == 300 ? a : at300;
        line.append(String.format("%s%.3f", n == 100 ? " " : "/", a));
      }
      line.append("; ");
      if (at300 < 0.97) {
        under.add(e.getKey());
      }
    }
    md.append(
            String.format(
                "Software message catalogues (%s, the first %d pieces of each size per language,"
                    + " %d languages with at least 20,000 characters; accuracy at 100 / 300 / 1000"
                    + " characters; below 0.97 at 300: %s):%n%n",
                locale, cap, langs, under.isEmpty() ? "none" : String.join(", ", under)))
        .append(line)
        .append("\n\n");
  }

  private static void count(Map<String, Map<Integer, int[]>> per, String want, int n, boolean ok) {
    int[] c = per.computeIfAbsent(want, k -> new TreeMap<>()).computeIfAbsent(n, k -> new int[2]);
    c[1]++;
    if (ok) {
      c[0]++;
    }
  }

  private static void table(Map<String, Map<Integer, int[]>> per, int[] sizes, StringBuilder md) {
    md.append(
        "| pieces | languages | pieces | accuracy (all pieces) | mean per language | languages ≥ 0.97 |\n");
    md.append("|---|---|---|---|---|---|\n");
    for (int n : sizes) {
      int ok = 0;
      int all = 0;
      double macro = 0;
      int good = 0;
      for (Map<Integer, int[]> m : per.values()) {
        int[] c = m.get(n);
        ok += c[0];
        all += c[1];
        double a = c[0] / (double) c[1];
        macro += a;
        good += a >= 0.97 ? 1 : 0;
      }
      md.append(
          String.format(
              "| %d chars | %d | %d | %.4f | %.4f | %d |%n",
              n, per.size(), all, ok / (double) all, macro / per.size(), good));
    }
    md.append("\nPer language (accuracy at 100 / 300 / 1000 characters):\n\n");
    StringBuilder line = new StringBuilder();
    for (var e : per.entrySet()) {
      line.append(
          String.format(
              "%s %.3f/%.3f/%.3f; ",
              e.getKey(),
              rate(e.getValue().get(100)),
              rate(e.getValue().get(300)),
              rate(e.getValue().get(1000))));
    }
    md.append(line).append("\n\n");
  }

  /** The UDHR files the rule of the class comment excludes, with the reason. */
  static Map<String, String> exclusions(List<JsonNode> udhr, Map<String, String> iso) {
    Map<String, String> out = new TreeMap<>();
    for (JsonNode doc : udhr) {
      String name = doc.get("source").asText().substring("udhr/".length());
      if (iso.get(name) == null) {
        continue;
      }
      String text = doc.get("text").asText();
      long all = text.chars().filter(c -> Character.isLetter((char) c)).count();
      long fffd = text.chars().filter(c -> c == 0xFFFD).count();
      if (fffd > 0.01 * all) {
        out.put(name, String.format("%,d U+FFFD for %,d letters", fffd, all));
      }
    }
    return out;
  }

  private static double rate(int[] c) {
    return c == null ? Double.NaN : c[0] / (double) c[1];
  }

  private static long heap() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return rt.totalMemory() - rt.freeMemory();
  }

  static List<JsonNode> read(Path file) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        out.add(JSON.readTree(line));
      }
    }
    return out;
  }
}
