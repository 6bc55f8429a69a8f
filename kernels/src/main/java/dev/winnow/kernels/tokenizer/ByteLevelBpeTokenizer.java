package dev.winnow.kernels.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.winnow.kernels.ModelFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Hugging Face {@code tokenizer.json} with a byte-level BPE model (GPT-2, SmolLM2, Qwen2, Llama
 * 3).
 *
 * <p>Encoding: the text is cut at added tokens (longest first; they map to their ids directly),
 * each remaining segment is normalized ({@code NFC}/{@code NFKC}/..., {@code Lowercase}, or none),
 * pre-tokenized ({@link PreTokenizer}), and each piece's UTF-8 bytes are written in the {@link
 * ByteLevelAlphabet} and merged: starting from one symbol per byte, the adjacent pair with the
 * lowest merge rank is merged until no pair has a rank (with {@code ignore_merges}, a piece that is
 * itself in the vocabulary is taken whole first). Added-token flags {@code lstrip}, {@code rstrip}
 * and {@code single_word} are not applied.
 */
public final class ByteLevelBpeTokenizer implements Tokenizer {
  private static final int CACHE_LIMIT = 200_000;

  private final String name;
  private final Map<String, Integer> vocab;
  private final String[] idToToken;
  private final boolean[] addedId;

  /** (left id, right id) → (rank << 32) | merged id. */
  private final Map<Long, Long> merges;

  private final int[] byteIds;
  private final boolean ignoreMerges;
  private final UnaryOperator<String> normalizer;
  private final PreTokenizer preTokenizer;
  private final Pattern addedTokens;
  private final Map<String, Integer> addedTokenIds;
  private final Map<String, int[]> cache = new ConcurrentHashMap<>();

  private ByteLevelBpeTokenizer(
      String name,
      Map<String, Integer> vocab,
      Map<Long, Long> merges,
      boolean ignoreMerges,
      UnaryOperator<String> normalizer,
      PreTokenizer preTokenizer,
      Map<String, Integer> addedTokenIds) {
    this.name = name;
    this.vocab = vocab;
    this.merges = merges;
    this.ignoreMerges = ignoreMerges;
    this.normalizer = normalizer;
    this.preTokenizer = preTokenizer;
    this.addedTokenIds = addedTokenIds;
    int size = 0;
    for (int id : vocab.values()) {
      size = Math.max(size, id + 1);
    }
    for (int id : addedTokenIds.values()) {
      size = Math.max(size, id + 1);
    }
    idToToken = new String[size];
    addedId = new boolean[size];
    vocab.forEach((token, id) -> idToToken[id] = token);
    addedTokenIds.forEach(
        (token, id) -> {
          idToToken[id] = token;
          addedId[id] = true;
        });
    byteIds = new int[256];
    for (int b = 0; b < 256; b++) {
      Integer id = vocab.get(String.valueOf(ByteLevelAlphabet.charOf(b)));
      if (id == null) {
        throw new IllegalArgumentException(
            "the vocabulary lacks the byte-level token for byte "
                + b
                + " ('"
                + ByteLevelAlphabet.charOf(b)
                + "'); not a byte-level BPE tokenizer");
      }
      byteIds[b] = id;
    }
    if (addedTokenIds.isEmpty()) {
      addedTokens = null;
    } else {
      StringBuilder alternation = new StringBuilder();
      addedTokenIds.keySet().stream()
          .sorted(Comparator.comparingInt(String::length).reversed())
          .forEach(
              t ->
                  alternation
                      .append(alternation.length() == 0 ? "" : "|")
                      .append(Pattern.quote(t)));
      addedTokens = Pattern.compile(alternation.toString());
    }
  }

  /** Reads a {@code tokenizer.json}; errors name the file. */
  public static ByteLevelBpeTokenizer fromFile(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return fromJson(new ObjectMapper().readTree(in), file.toString());
    } catch (IOException e) {
      throw new ModelFormatException(
          file + ": cannot read the tokenizer (" + e.getMessage() + ")", e);
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException(file + ": " + e.getMessage(), e);
    }
  }

  /** Builds the tokenizer a parsed {@code tokenizer.json} describes. */
  public static ByteLevelBpeTokenizer fromJson(JsonNode root, String name) {
    JsonNode model = root.path("model");
    if (!model.path("type").asText("BPE").equals("BPE")
        || !model.has("vocab")
        || !model.has("merges")) {
      throw new IllegalArgumentException(
          "model type '"
              + model.path("type").asText()
              + "' is not supported: only byte-level BPE (model.type BPE with vocab and merges)");
    }
    if (model.path("byte_fallback").asBoolean(false)) {
      throw new IllegalArgumentException(
          "byte_fallback BPE (SentencePiece-style, e.g. Llama 2) is not "
              + "supported: only byte-level BPE");
    }
    Map<String, Integer> vocab = new HashMap<>();
    model.get("vocab").properties().forEach(e -> vocab.put(e.getKey(), e.getValue().asInt()));
    Map<Long, Long> merges = new HashMap<>();
    int rank = 0;
    for (JsonNode merge : model.get("merges")) {
      String left;
      String right;
      if (merge.isArray()) {
        left = merge.get(0).asText();
        right = merge.get(1).asText();
      } else {
        String s = merge.asText();
        int space = s.indexOf(' ');
        if (space < 0) {
          throw new IllegalArgumentException("malformed merge '" + s + "' (rank " + rank + ")");
        }
        left = s.substring(0, space);
        right = s.substring(space + 1);
      }
      Integer l = vocab.get(left);
      Integer r = vocab.get(right);
      Integer merged = vocab.get(left + right);
      if (l == null || r == null || merged == null) {
        throw new IllegalArgumentException(
            "merge '"
                + left
                + " "
                + right
                + "' (rank "
                + rank
                + ") uses tokens not in the vocabulary");
      }
      merges.putIfAbsent(pair(l, r), ((long) rank << 32) | merged);
      rank++;
    }
    Map<String, Integer> added = new HashMap<>();
    for (JsonNode t : root.path("added_tokens")) {
      added.put(t.get("content").asText(), t.get("id").asInt());
    }
    return new ByteLevelBpeTokenizer(
        name,
        vocab,
        merges,
        model.path("ignore_merges").asBoolean(false),
        normalizer(root.path("normalizer")),
        PreTokenizer.fromJson(root.get("pre_tokenizer")),
        added);
  }

  private static UnaryOperator<String> normalizer(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return s -> s;
    }
    String type = node.path("type").asText();
    switch (type) {
      case "NFC":
        return s -> Normalizer.normalize(s, Normalizer.Form.NFC);
      case "NFD":
        return s -> Normalizer.normalize(s, Normalizer.Form.NFD);
      case "NFKC":
        return s -> Normalizer.normalize(s, Normalizer.Form.NFKC);
      case "NFKD":
        return s -> Normalizer.normalize(s, Normalizer.Form.NFKD);
      case "Lowercase":
        return s -> s.toLowerCase(java.util.Locale.ROOT);
      case "Sequence":
        {
          List<UnaryOperator<String>> steps = new ArrayList<>();
          node.path("normalizers").forEach(n -> steps.add(normalizer(n)));
          return s -> {
            for (UnaryOperator<String> step : steps) {
              s = step.apply(s);
            }
            return s;
          };
        }
      default:
        throw new IllegalArgumentException(
            "unsupported normalizer type '"
                + type
                + "': supported are NFC, NFD, NFKC, NFKD, Lowercase and Sequence");
    }
  }

  private static long pair(int left, int right) {
    return ((long) left << 32) | (right & 0xffffffffL);
  }

  @Override
  public int[] encode(String text) {
    IntList ids = new IntList(text.length() / 3 + 4);
    if (addedTokens == null) {
      encodeSegment(text, ids);
      return ids.toArray();
    }
    Matcher m = addedTokens.matcher(text);
    int last = 0;
    while (m.find()) {
      if (m.start() > last) {
        encodeSegment(text.substring(last, m.start()), ids);
      }
      ids.add(addedTokenIds.get(m.group()));
      last = m.end();
    }
    if (last < text.length()) {
      encodeSegment(text.substring(last), ids);
    }
    return ids.toArray();
  }

  private void encodeSegment(String segment, IntList ids) {
    for (String piece : preTokenizer.split(List.of(normalizer.apply(segment)))) {
      int[] cached = cache.get(piece);
      if (cached == null) {
        cached = bpe(ByteLevelAlphabet.encode(piece.getBytes(StandardCharsets.UTF_8)));
        if (cache.size() > CACHE_LIMIT) {
          cache.clear();
        }
        cache.put(piece, cached);
      }
      ids.addAll(cached);
    }
  }

  /** BPE over one piece written in the byte-level alphabet. */
  private int[] bpe(String symbols) {
    if (ignoreMerges) {
      Integer whole = vocab.get(symbols);
      if (whole != null) {
        return new int[] {whole};
      }
    }
    int n = symbols.length();
    int[] parts = new int[n];
    for (int i = 0; i < n; i++) {
      parts[i] = byteIds[ByteLevelAlphabet.byteOf(symbols.charAt(i))];
    }
    while (n > 1) {
      long bestRank = Long.MAX_VALUE;
      int bestAt = -1;
      int bestId = -1;
      for (int i = 0; i + 1 < n; i++) {
        Long merge = merges.get(pair(parts[i], parts[i + 1]));
        if (merge != null && (merge >>> 32) < bestRank) {
          bestRank = merge >>> 32;
          bestAt = i;
          bestId = (int) (merge & 0xffffffffL);
        }
      }
      if (bestAt < 0) {
        break;
      }
      // merge every non-overlapping occurrence of the best pair, left to right
      int left = parts[bestAt];
      int right = parts[bestAt + 1];
      int w = 0;
      for (int i = 0; i < n; i++) {
        if (i + 1 < n && i >= bestAt && parts[i] == left && parts[i + 1] == right) {
          parts[w++] = bestId;
          i++;
        } else {
          parts[w++] = parts[i];
        }
      }
      n = w;
    }
    return java.util.Arrays.copyOf(parts, n);
  }

  @Override
  public String decode(int[] ids) {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    StringBuilder out = new StringBuilder();
    for (int id : ids) {
      if (id < 0 || id >= idToToken.length || idToToken[id] == null) {
        throw new IllegalArgumentException("illegal token id " + id + " for tokenizer " + name);
      }
      if (addedId[id]) {
        out.append(new String(bytes.toByteArray(), StandardCharsets.UTF_8)).append(idToToken[id]);
        bytes.reset();
        continue;
      }
      String token = idToToken[id];
      for (int i = 0; i < token.length(); i++) {
        int b = ByteLevelAlphabet.byteOf(token.charAt(i));
        bytes.write(b < 0 ? '?' : b);
      }
    }
    return out.append(new String(bytes.toByteArray(), StandardCharsets.UTF_8)).toString();
  }

  @Override
  public byte[] tokenBytes(int id) {
    if (id < 0 || id >= idToToken.length || idToToken[id] == null) {
      throw new IllegalArgumentException("illegal token id " + id + " for tokenizer " + name);
    }
    String token = idToToken[id];
    if (addedId[id]) {
      return token.getBytes(StandardCharsets.UTF_8);
    }
    byte[] out = new byte[token.length()];
    for (int i = 0; i < out.length; i++) {
      int b = ByteLevelAlphabet.byteOf(token.charAt(i));
      out[i] = (byte) (b < 0 ? '?' : b);
    }
    return out;
  }

  @Override
  public int vocabSize() {
    return idToToken.length;
  }

  @Override
  public String name() {
    return name;
  }

  /** A growable int array, to avoid boxing while encoding. */
  private static final class IntList {
    private int[] data;
    private int size;

    IntList(int capacity) {
      data = new int[Math.max(4, capacity)];
    }

    void add(int v) {
      if (size == data.length) {
        data = java.util.Arrays.copyOf(data, size * 2);
      }
      data[size++] = v;
    }

    void addAll(int[] vs) {
      if (size + vs.length > data.length) {
        data = java.util.Arrays.copyOf(data, Math.max(size + vs.length, size * 2));
      }
      System.arraycopy(vs, 0, data, size, vs.length);
      size += vs.length;
    }

    int[] toArray() {
      return java.util.Arrays.copyOf(data, size);
    }
  }
}
