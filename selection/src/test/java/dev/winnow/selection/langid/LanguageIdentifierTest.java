package dev.winnow.selection.langid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LanguageIdentifierTest {
  private final LanguageIdentifier builtIn = LanguageModels.builtIn();

  @Test
  void builtInModelHasAtLeastSeventyLanguagesWithIsoCodes() {
    List<String> langs = builtIn.languages();
    assertTrue(langs.size() >= 70, () -> langs.size() + " languages: " + langs);
    for (String l : langs) {
      assertTrue(l.matches("[a-z]{2,3}"), l);
    }
    assertTrue(langs.containsAll(List.of("en", "de", "fr", "ru", "zh", "ja", "ar", "hi", "sw")));
  }

  @Test
  void detectsSentencesOfSeveralScripts() {
    assertLang("en", "The committee will meet again next week to discuss the new budget proposal.");
    assertLang(
        "de", "Der Ausschuss wird sich nächste Woche erneut treffen, um den Haushalt zu beraten.");
    assertLang(
        "fr", "Le comité se réunira de nouveau la semaine prochaine pour discuter du budget.");
    assertLang(
        "es", "El comité se reunirá de nuevo la próxima semana para discutir el presupuesto.");
    assertLang("ru", "Комитет снова соберётся на следующей неделе, чтобы обсудить новый бюджет.");
    assertLang("el", "Η επιτροπή θα συνεδριάσει ξανά την επόμενη εβδομάδα για τον προϋπολογισμό.");
    assertLang("ja", "委員会は来週もう一度集まり、新しい予算案について話し合う予定です。");
    assertLang("zh", "委员会将于下周再次开会，讨论新的预算提案。");
    assertLang("ar", "ستجتمع اللجنة مرة أخرى الأسبوع المقبل لمناقشة مقترح الميزانية الجديد.");
  }

  @Test
  void chineseWithoutKanaIsNotJapanese() {
    // only Han characters: the model alone may lean to Japanese; the kana rule answers Chinese
    assertEquals("zh", builtIn.detect("世界人权宣言联合国大会通过并颁布").lang());
  }

  @Test
  void textWithoutLettersIsUnknownWithScoreZero() {
    LanguageGuess g = builtIn.detect("12345 -- 67.89 !!! ???");
    assertEquals(LanguageGuess.UNKNOWN, g.lang());
    assertEquals(0.0, g.score());
    assertEquals(LanguageGuess.UNKNOWN, builtIn.detect("").lang());
  }

  @Test
  void scoreIsHighForCleanTextAndLowerForAMixOfTwoLanguages() {
    double clean =
        builtIn
            .detect(
                "The committee will meet again next week to discuss the new budget proposal and"
                    + " the plans for the coming year.")
            .score();
    double mixed =
        builtIn
            .detect(
                "The committee will meet again next week. Der Ausschuss wird sich nächste Woche"
                    + " erneut treffen.")
            .score();
    assertTrue(clean > 0.9, "clean " + clean);
    assertTrue(mixed < clean, "mixed " + mixed + " clean " + clean);
  }

  @Test
  void maxCharsLimitsWhatIsRead() {
    String text =
        "Der Ausschuss wird sich treffen. "
            + "The committee will meet again next week. ".repeat(20);
    assertEquals("de", builtIn.detect(text, 32).lang());
    assertEquals("en", builtIn.detect(text).lang());
  }

  @Test
  void gramsStayInsideWordsAndAreLowerCased() {
    List<String> grams = new ArrayList<>();
    GramText.grams("To be!", Integer.MAX_VALUE, g -> grams.add(GramText.unpack(g)));
    assertEquals(List.of("t", "o", "to", "b", "e", "be"), grams);
    grams.clear();
    GramText.grams("abcd", Integer.MAX_VALUE, g -> grams.add(GramText.unpack(g)));
    assertEquals(List.of("a", "b", "ab", "c", "bc", "abc", "d", "cd", "bcd"), grams);
  }

  @Test
  void trainedProfilesRoundTripThroughAModelFileAndDetect(@TempDir Path dir) throws Exception {
    ProfileTrainer t = new ProfileTrainer(1);
    t.add("xa", "kalu mela kalu mela tuku tuku kalumela tukumela kalu");
    t.add("xb", "zorp vrin zorp vrin grak grak zorpvrin grakzorp vrin");
    Path file = dir.resolve("model.jsonl.gz");
    LanguageModels.write(t.profiles(), file);
    LanguageIdentifier id = LanguageModels.load(file.toString());
    assertEquals(List.of("xa", "xb"), id.languages());
    assertEquals("xa", id.detect("mela kalu tuku").lang());
    assertEquals("xb", id.detect("vrin grak zorp").lang());
  }

  @Test
  void aBrokenModelFileNamesTheFileAndLine(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bad.jsonl");
    Files.writeString(
        file, "{\"name\": \"xx\", \"freq\": {\"a\": 1}, \"n_words\": [1, 1, 1]}\nnot json\n");
    var e =
        assertThrows(
            java.io.UncheckedIOException.class, () -> LanguageModels.load(file.toString()));
    assertTrue(e.getMessage().contains("bad.jsonl:2"), e.getMessage());
  }

  @Test
  void indonesianAndMalayAreToldApartByTheClosePairStage() {
    var pair = builtIn.closePairs().get(0);
    assertEquals(List.of("id", "ms"), List.of(pair.first(), pair.second()));
    String id =
        "Pemerintah akan membahas anggaran baru minggu depan karena banyak masyarakat yang belum"
            + " mendapatkan bantuan, dan para pejabat mengatakan bahwa uang itu sudah tersedia.";
    String ms =
        "Kerajaan akan membincangkan belanjawan baharu minggu hadapan kerana ramai rakyat yang"
            + " belum menerima bantuan, dan para pegawai berkata bahawa wang itu telah disediakan.";
    assertLang("id", id);
    assertLang("ms", ms);
    double s = builtIn.detect(id).score();
    assertTrue(s > 0 && s <= 1, "score " + s);
  }

  @Test
  void closePairDecidesByItsFourGramsOnBothSidesOfAZeroMargin() {
    ProfileTrainer t = new ProfileTrainer(1);
    t.add("xa", "kalu mela kalu mela tuku tuku kalumela tukumela kalu");
    t.add("xb", "kalu mela kalu meli tuku tuki kalumeli tukumeli kalu");
    var profiles = t.profiles();
    // the pair's 4-grams: "kalu" is xa's, "tuku" is xb's
    ClosePair pair =
        new ClosePair(
            "xa", "xb", java.util.Map.of("kalu", -0.1), java.util.Map.of("tuku", -0.1), -10);
    LanguageIdentifier two = new LanguageIdentifier(profiles, List.of(pair));
    assertEquals("xa", two.detect("kalu kalu kalu mela").lang());
    assertEquals("xb", two.detect("tuku tuku tuku mela").lang());
    // one "kalu" and one "tuku": margin 0, the first stage's answer stands
    LanguageIdentifier plain = new LanguageIdentifier(profiles);
    String tie = "kalu tuku meli";
    assertEquals(plain.detect(tie).lang(), two.detect(tie).lang());
    // no 4-gram at all (words of 3 letters): the first stage's answer and score
    assertEquals(plain.detect("mel tuk").lang(), two.detect("mel tuk").lang());
    assertEquals(plain.detect("mel tuk").score(), two.detect("mel tuk").score(), 1e-12);
  }

  @Test
  void aClosePairNeedsProfilesForBothLanguages() {
    ProfileTrainer t = new ProfileTrainer(1);
    t.add("xa", "kalu mela kalu mela tuku");
    ClosePair pair =
        new ClosePair("xa", "zz", java.util.Map.of("kalu", -0.1), java.util.Map.of(), -10);
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new LanguageIdentifier(t.profiles(), List.of(pair)));
    assertTrue(e.getMessage().contains("no profile for zz"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new ClosePair("xa", "xb", java.util.Map.of("abc", -0.1), java.util.Map.of(), -10));
    assertTrue(e.getMessage().contains("not a 4-gram"), e.getMessage());
  }

  private void assertLang(String want, String text) {
    LanguageGuess g = builtIn.detect(text);
    assertEquals(want, g.lang(), () -> text + " -> " + g);
  }
}
