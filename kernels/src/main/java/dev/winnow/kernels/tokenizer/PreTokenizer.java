package dev.winnow.kernels.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code pre_tokenizer} of a Hugging Face {@code tokenizer.json}: splits text into pieces that
 * BPE encodes independently. Supported: {@code Split} (regex or literal pattern, behaviour {@code
 * Isolated} or {@code Removed}, not inverted), {@code ByteLevel} (optional prefix space, optional
 * GPT-2 regex), {@code Digits} and a {@code Sequence} of those — what GPT-2, SmolLM2, Qwen2 and
 * Llama 3 tokenizers use. Patterns are Oniguruma syntax; the ones these tokenizers use mean the
 * same in {@link Pattern} with {@link Pattern#UNICODE_CHARACTER_CLASS} ({@code \s} is Unicode
 * whitespace).
 */
interface PreTokenizer {

  /** GPT-2's pattern, used by {@code ByteLevel} with {@code use_regex: true}. */
  String GPT2_PATTERN =
      "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

  /** Splits each piece further; the result keeps the order of the text. */
  List<String> split(List<String> pieces);

  /** Builds the pre-tokenizer a {@code pre_tokenizer} JSON object describes. */
  static PreTokenizer fromJson(JsonNode node) {
    if (node == null || node.isNull()) {
      return pieces -> pieces;
    }
    String type = node.path("type").asText();
    switch (type) {
      case "Sequence":
        {
          List<PreTokenizer> steps = new ArrayList<>();
          for (JsonNode step : node.path("pretokenizers")) {
            steps.add(fromJson(step));
          }
          return pieces -> {
            List<String> current = pieces;
            for (PreTokenizer step : steps) {
              current = step.split(current);
            }
            return current;
          };
        }
      case "ByteLevel":
        {
          boolean prefixSpace = node.path("add_prefix_space").asBoolean(false);
          boolean useRegex = node.path("use_regex").asBoolean(true);
          Pattern gpt2 = useRegex ? compile(GPT2_PATTERN) : null;
          return pieces -> {
            List<String> out = new ArrayList<>();
            for (String piece : pieces) {
              String p = prefixSpace && !piece.startsWith(" ") ? " " + piece : piece;
              if (gpt2 == null) {
                out.add(p);
              } else {
                isolate(gpt2, p, out, false);
              }
            }
            return out;
          };
        }
      case "Split":
        {
          JsonNode pattern = node.path("pattern");
          Pattern regex;
          if (pattern.has("Regex")) {
            regex = compile(pattern.get("Regex").asText());
          } else if (pattern.has("String")) {
            regex = Pattern.compile(Pattern.quote(pattern.get("String").asText()));
          } else {
            throw new IllegalArgumentException(
                "Split pre-tokenizer without a Regex or String pattern: " + node);
          }
          String behavior = node.path("behavior").asText("Isolated");
          if (node.path("invert").asBoolean(false)
              || !(behavior.equals("Isolated") || behavior.equals("Removed"))) {
            throw new IllegalArgumentException(
                "unsupported Split pre-tokenizer (behavior "
                    + behavior
                    + ", invert "
                    + node.path("invert")
                    + "): supported are Isolated and Removed, not inverted");
          }
          boolean remove = behavior.equals("Removed");
          return pieces -> {
            List<String> out = new ArrayList<>();
            for (String piece : pieces) {
              isolate(regex, piece, out, remove);
            }
            return out;
          };
        }
      case "Digits":
        {
          boolean individual = node.path("individual_digits").asBoolean(false);
          return pieces -> {
            List<String> out = new ArrayList<>();
            for (String piece : pieces) {
              splitDigits(piece, individual, out);
            }
            return out;
          };
        }
      default:
        throw new IllegalArgumentException(
            "unsupported pre_tokenizer type '"
                + type
                + "': supported are ByteLevel, Split, Digits and Sequence (byte-level BPE tokenizers)");
    }
  }

  /**
   * {@code Digits}: numeric characters (Unicode N*) become pieces of their own, one each when
   * {@code individual}, else one per run; the text between them stays whole.
   */
  private static void splitDigits(String text, boolean individual, List<String> out) {
    int runStart = 0;
    boolean runNumeric = false;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      int type = Character.getType(cp);
      boolean numeric =
          type == Character.DECIMAL_DIGIT_NUMBER
              || type == Character.LETTER_NUMBER
              || type == Character.OTHER_NUMBER;
      if (i > runStart && (numeric != runNumeric || (numeric && individual))) {
        out.add(text.substring(runStart, i));
        runStart = i;
      }
      runNumeric = numeric;
      i += Character.charCount(cp);
    }
    if (runStart < text.length()) {
      out.add(text.substring(runStart));
    }
  }

  private static Pattern compile(String regex) {
    return Pattern.compile(regex, Pattern.UNICODE_CHARACTER_CLASS);
  }

  /**
   * Matches and the text between them become pieces, in order; matches are dropped if {@code
   * remove}.
   */
  private static void isolate(Pattern pattern, String text, List<String> out, boolean remove) {
    Matcher m = pattern.matcher(text);
    int last = 0;
    while (m.find()) {
      if (m.start() > last) {
        out.add(text.substring(last, m.start()));
      }
      if (!remove && m.end() > m.start()) {
        out.add(text.substring(m.start(), m.end()));
      }
      last = m.end();
    }
    if (last < text.length()) {
      out.add(text.substring(last));
    }
  }
}
