package dev.winnow.kernels.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.winnow.kernels.testing.Corpora;
import dev.winnow.kernels.testing.SharedData;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Our tokenizer.json BPE against JTokkit's r50k_base and the proxy-mini golden ids. */
class ByteLevelBpeTokenizerTest {
  private static Path tokenizerFile;
  private static ByteLevelBpeTokenizer gpt2;
  private static final TiktokenTokenizer R50K = TiktokenTokenizer.r50kBase();

  @BeforeAll
  static void load() {
    tokenizerFile = SharedData.model("proxy-mini").resolve("tokenizer.json");
    gpt2 = ByteLevelBpeTokenizer.fromFile(tokenizerFile);
  }

  @Test
  void goldenTextsEncodeToGoldenIds() {
    SharedData.Golden golden = SharedData.golden(SharedData.model("proxy-mini"));
    assertEquals(8, golden.texts().size());
    for (int i = 0; i < golden.texts().size(); i++) {
      assertArrayEquals(
          golden.cases().get(i).inputIds(), gpt2.encode(golden.texts().get(i)), "text " + i);
      assertEquals(golden.texts().get(i), gpt2.decode(golden.cases().get(i).inputIds()));
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"news, 150", "prose, 60", "reviews, 100", "web, 400", "speeches, 6", "udhr, 283"})
  void matchesR50kOnRealText(String corpus, int documents) {
    List<String> texts = Corpora.texts(corpus, documents);
    long tokens = 0;
    for (String text : texts) {
      int[] expected = R50K.encode(text);
      int[] actual = gpt2.encode(text);
      assertArrayEquals(
          expected,
          actual,
          () -> "differs from r50k_base on: " + text.substring(0, Math.min(200, text.length())));
      assertEquals(text, gpt2.decode(actual));
      tokens += actual.length;
    }
    assertTrue(tokens > 1000, "too little text compared: " + tokens + " tokens");
  }

  @Test
  void hardCasesMatchR50k() {
    String[] cases = {
      "",
      " ",
      "   leading and trailing   ",
      "tabs\tand\r\nCRLF\n\n\nlines",
      "don't I'LL we've they're",
      "12345 3.14159 1,000,000",
      "émigré naïve façade",
      "日本語のテキスト",
      "emoji 🎉🎉 and ZWJ 👩‍👩‍👧",
      "a\u00a0non-breaking space",
      "trailing space ",
      "multiple     spaces",
      "<|endoftext|> is text here",
      "symbols ~!@#$%^&*()_+{}|:\"<>?",
      "x".repeat(300),
      "     \n   "
    };
    for (String text : cases) {
      assertArrayEquals(R50K.encode(text), gpt2.encode(text), "on: [" + text + "]");
      assertEquals(text, gpt2.decode(gpt2.encode(text)));
    }
  }

  @Test
  void addedTokensAreMatchedBeforeBpe() throws Exception {
    ObjectNode root = (ObjectNode) new ObjectMapper().readTree(tokenizerFile.toFile());
    root.putArray("added_tokens")
        .addObject()
        .put("id", 50256)
        .put("content", "<|endoftext|>")
        .put("special", true);
    ByteLevelBpeTokenizer withSpecial = ByteLevelBpeTokenizer.fromJson(root, "gpt2+eot");
    int[] ids = withSpecial.encode("Hello<|endoftext|>world");
    assertArrayEquals(new int[] {15496, 50256, 6894}, ids);
    assertEquals("Hello<|endoftext|>world", withSpecial.decode(ids));
  }

  /**
   * Qwen2 and Llama 3 tokenizers split with their own regex and then apply ByteLevel without a
   * regex; those files are not in ../shared, so the pre-tokenizer is checked on its own.
   */
  @Test
  void llama3AndQwen2SplitPatterns() throws Exception {
    String llama3 =
        "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*"
            + "|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    String qwen2 = llama3.replace("\\p{N}{1,3}", "\\p{N}");
    ObjectMapper json = new ObjectMapper();
    JsonNode llamaNode =
        json.readTree(
            "{\"type\":\"Sequence\",\"pretokenizers\":[{\"type\":\"Split\",\"pattern\":{\"Regex\":"
                + json.writeValueAsString(llama3)
                + "},\"behavior\":\"Isolated\",\"invert\":false},"
                + "{\"type\":\"ByteLevel\",\"add_prefix_space\":false,\"trim_offsets\":true,\"use_regex\":false}]}");
    PreTokenizer llama = PreTokenizer.fromJson(llamaNode);
    assertEquals(
        List.of("Hello", ",", " world", " ", "123", "456", "7", "!\n", "I", "'LL", " go"),
        llama.split(List.of("Hello, world 1234567!\nI'LL go")));
    PreTokenizer qwen =
        PreTokenizer.fromJson(
            json.readTree(
                llamaNode
                    .toString()
                    .replace(json.writeValueAsString(llama3), json.writeValueAsString(qwen2))));
    assertEquals(List.of("x", "1", "2", "3", "  ", " y"), qwen.split(List.of("x123   y")));

    ObjectNode root = (ObjectNode) json.readTree(tokenizerFile.toFile());
    root.set("pre_tokenizer", llamaNode);
    root.set("normalizer", json.readTree("{\"type\":\"NFC\"}"));
    ByteLevelBpeTokenizer llamaStyle =
        ByteLevelBpeTokenizer.fromJson(root, "gpt2-vocab, llama3 split");
    // digits in groups of three: r50k would keep "1234567" whole where its merges allow
    int[] ids = llamaStyle.encode("Call 1234567 now");
    assertEquals("Call 1234567 now", llamaStyle.decode(ids));
    assertEquals(List.of("Call", " ", "123", "456", "7", " now"), decodeEach(llamaStyle, ids));
    // NFC: a decomposed é becomes the composed one before BPE
    assertArrayEquals(llamaStyle.encode("caf\u00e9"), llamaStyle.encode("cafe\u0301"));
  }

  /** SmolLM2-style: Digits (individual) then ByteLevel with the GPT-2 regex. */
  @Test
  void digitsPreTokenizer() throws Exception {
    ObjectMapper json = new ObjectMapper();
    PreTokenizer smol =
        PreTokenizer.fromJson(
            json.readTree(
                "{\"type\":\"Sequence\",\"pretokenizers\":["
                    + "{\"type\":\"Digits\",\"individual_digits\":true},"
                    + "{\"type\":\"ByteLevel\",\"add_prefix_space\":false,\"use_regex\":true}]}"));
    assertEquals(
        List.of("In", " ", "2", "0", "2", "4", ",", " x", "7", "y"),
        smol.split(List.of("In 2024, x7y")));
    PreTokenizer runs =
        PreTokenizer.fromJson(json.readTree("{\"type\":\"Digits\",\"individual_digits\":false}"));
    assertEquals(
        List.of("ab", "123", " c", "\u0664\u0665"), runs.split(List.of("ab123 c\u0664\u0665")));
  }

  private static List<String> decodeEach(Tokenizer t, int[] ids) {
    return java.util.Arrays.stream(ids)
        .mapToObj(id -> t.decode(new int[] {id}))
        .collect(java.util.stream.Collectors.toList());
  }

  @Test
  void rejectsUnsupportedTokenizers() throws Exception {
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = (ObjectNode) json.readTree(tokenizerFile.toFile());
    ((ObjectNode) root.get("model")).put("byte_fallback", true);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> ByteLevelBpeTokenizer.fromJson(root, "x"));
    assertTrue(e.getMessage().contains("byte_fallback"), e.getMessage());
    JsonNode wordPiece = json.readTree("{\"model\":{\"type\":\"WordPiece\",\"vocab\":{}}}");
    assertThrows(
        IllegalArgumentException.class, () -> ByteLevelBpeTokenizer.fromJson(wordPiece, "x"));
  }

  @Test
  void tiktokenCl100kCountsTokens() {
    TiktokenTokenizer cl100k = TiktokenTokenizer.cl100kBase();
    assertArrayEquals(new int[] {9906, 1917, 0}, cl100k.encode("Hello world!"));
    assertEquals(3, cl100k.countTokens("Hello world!"));
    assertArrayEquals(new int[] {15496, 995, 0}, R50K.encode("Hello world!"));
  }
}
