package dev.winnow.prompt.llmlingua;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.prompt.CompressionMode;
import dev.winnow.prompt.CompressionRequest;
import dev.winnow.prompt.CompressionResult;
import dev.winnow.prompt.ReferenceCases;
import dev.winnow.prompt.model.ProxyLm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Words mode: whole words only, UTF-8 intact, the budget met also for short prompts. */
class WordsModeTest {
  private static final Pattern LETTERS = Pattern.compile("[\\p{L}\\p{M}\\p{N}]+");
  private static ProxyLm lm;

  @BeforeAll
  static void load() {
    lm = ReferenceCases.proxyMini();
  }

  @AfterAll
  static void close() {
    lm.close();
  }

  private static CompressionResult run(CompressionRequest r, CompressionMode mode) {
    return new LlmLingua(lm).compress(r.validate(), mode);
  }

  /** Letter runs of the output that are not letter runs of the input: fused or cut words. */
  private static List<String> brokenWords(String original, String compressed) {
    Set<String> words = new HashSet<>();
    Matcher m = LETTERS.matcher(original);
    while (m.find()) {
      words.add(m.group());
    }
    List<String> broken = new ArrayList<>();
    m = LETTERS.matcher(compressed);
    while (m.find()) {
      if (!words.contains(m.group())) {
        broken.add(m.group());
      }
    }
    return broken;
  }

  private static boolean isSubsequence(String part, String whole) {
    int j = 0;
    for (int i = 0; i < whole.length() && j < part.length(); i++) {
      if (whole.charAt(i) == part.charAt(j)) {
        j++;
      }
    }
    return j == part.length();
  }

  @Test
  void referenceCasesKeepWholeWordsWhereCompatFusesThem() {
    int compatBroken = 0;
    List<ReferenceCases.Case> cases = ReferenceCases.load();
    // LLMLingua cases, a LongLLMLingua case (question contrast, dynamic ratios), a speech longer
    // than the model
    for (ReferenceCases.Case c :
        List.of(cases.get(0), cases.get(1), cases.get(2), cases.get(8), cases.get(12))) {
      String original =
          c.request().instruction
              + "\n\n"
              + String.join("\n\n", c.request().context)
              + "\n\n"
              + c.request().question;
      CompressionResult words = run(c.request(), CompressionMode.WORDS);
      assertEquals(List.of(), brokenWords(original, words.compressedPrompt()), c.label());
      assertTrue(words.compressedTokens() < words.originTokens(), c.label() + " compresses");
      compatBroken += brokenWords(original, c.expectedPrompt()).size();
    }
    // the reference's own outputs fuse words ("St Kitt andis"): the check above can tell
    assertTrue(compatBroken > 10, "compat outputs hold fused words: " + compatBroken);
  }

  @Test
  void unitsNeverSplitWordsOrCharacters() {
    String text =
        "St Kitts and Nevis: pro-whaling nations, 5,000 whales; don't \"research\" 世界人权 Всеобщая";
    WordUnits units = WordUnits.of(lm.tokenizer(), lm.encode(text));
    List<String> pieces = List.of(units.texts);
    assertEquals(text, String.join("", pieces));
    assertTrue(pieces.contains(" Kitts"), pieces.toString());
    assertTrue(pieces.contains(" pro-whaling"), pieces.toString());
    assertTrue(pieces.contains(" 5,000"), pieces.toString());
    assertTrue(pieces.contains(" don't"), pieces.toString());
    assertTrue(pieces.contains(" Всеобщая"), pieces.toString());
    for (String p : pieces) {
      assertFalse(p.contains("\uFFFD"), p);
    }
  }

  @Test
  void shortPromptMeetsTheRate() throws IOException {
    String article = ReferenceCases.load().get(2).request().context.get(0);
    String text = article.substring(0, article.indexOf(' ', 300));
    for (double rate : new double[] {0.3, 0.5, 0.7}) {
      CompressionRequest r = new CompressionRequest();
      r.context = List.of(text);
      r.rate = rate;
      r.useContextLevelFilter = false;
      int origin = lm.tokenLength(text);
      String words = run(r, CompressionMode.WORDS).compressedPrompt();
      String compat = run(r, CompressionMode.COMPAT).compressedPrompt();
      double target = origin * rate;
      int got = lm.tokenLength(words);
      assertTrue(
          Math.abs(got - target) <= Math.max(3, 0.1 * target),
          "rate "
              + rate
              + ": "
              + got
              + " tokens for a target of "
              + target
              + " of "
              + origin
              + ": "
              + words);
      assertTrue(isSubsequence(words, text), "words mode only deletes");
      System.out.printf(
          "short prompt, %d tokens, rate %.1f: target %.1f, words %d, compat %d%n",
          origin, rate, target, got, lm.tokenLength(compat));
    }
  }

  @Test
  void nonLatinScriptsStayIntact() throws IOException {
    for (String source :
        List.of("udhr/Chinese_Mandarin-UTF8", "udhr/Japanese_Nihongo-UTF8", "udhr/Russian-UTF8")) {
      String text = udhr(source);
      text = text.substring(0, Math.min(text.length(), 700));
      CompressionRequest r = new CompressionRequest();
      r.context = List.of(text);
      r.rate = 0.5;
      String words = run(r, CompressionMode.WORDS).compressedPrompt();
      assertFalse(words.contains("\uFFFD"), source + ": no broken UTF-8 in " + words);
      assertTrue(isSubsequence(words, text), source + ": words mode only deletes");
      assertTrue(words.length() < text.length() * 0.9, source + ": compresses");
      if (source.contains("Russian")) {
        assertEquals(List.of(), brokenWords(text, words), source);
      }
      String compat = run(r, CompressionMode.COMPAT).compressedPrompt();
      System.out.printf(
          "%s: %d chars -> words %d (U+FFFD: %d), compat %d (U+FFFD: %d)%n",
          source, text.length(), words.length(), count(words), compat.length(), count(compat));
    }
  }

  private static long count(String s) {
    return s.chars().filter(ch -> ch == 0xFFFD).count();
  }

  private static String udhr(String source) throws IOException {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(
                    Files.newInputStream(ReferenceCases.shared().resolve("corpora/udhr.jsonl.gz"))),
                StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        var node = ReferenceCases.MAPPER.readTree(line);
        if (node.get("source").asText().equals(source)) {
          return node.get("text").asText().replace("\uFEFF", "");
        }
      }
    }
    throw new IllegalStateException(source + " not in udhr.jsonl.gz");
  }
}
