package dev.winnow.kernels.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** Writes modified copies of safetensors files, for tests of malformed and sharded checkpoints. */
public final class SafetensorsEditor {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SafetensorsEditor() {}

  /** Copies {@code src} to {@code dst} with its header edited (data unchanged). */
  public static void editHeader(Path src, Path dst, Consumer<ObjectNode> edit) throws IOException {
    byte[] bytes = Files.readAllBytes(src);
    long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    ObjectNode header = (ObjectNode) JSON.readTree(Arrays.copyOfRange(bytes, 8, 8 + (int) n));
    edit.accept(header);
    write(dst, header, Arrays.copyOfRange(bytes, 8 + (int) n, bytes.length));
  }

  /**
   * Writes the tensors of {@code src} whose names pass {@code keep} to {@code dst}; returns their
   * names.
   */
  public static List<String> subset(Path src, Path dst, Predicate<String> keep) throws IOException {
    byte[] bytes = Files.readAllBytes(src);
    int n = (int) ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    ObjectNode header = (ObjectNode) JSON.readTree(Arrays.copyOfRange(bytes, 8, 8 + n));
    ObjectNode out = JSON.createObjectNode();
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    List<String> names = new ArrayList<>();
    for (var e : header.properties()) {
      if (e.getKey().equals("__metadata__") || !keep.test(e.getKey())) {
        continue;
      }
      ObjectNode entry = e.getValue().deepCopy();
      int begin = entry.get("data_offsets").get(0).asInt();
      int end = entry.get("data_offsets").get(1).asInt();
      int at = data.size();
      data.write(bytes, 8 + n + begin, end - begin);
      entry.putArray("data_offsets").add(at).add(data.size());
      out.set(e.getKey(), entry);
      names.add(e.getKey());
    }
    write(dst, out, data.toByteArray());
    return names;
  }

  private static void write(Path dst, ObjectNode header, byte[] data) throws IOException {
    byte[] json = JSON.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
    ByteBuffer out =
        ByteBuffer.allocate(8 + json.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    out.putLong(json.length).put(json).put(data);
    Files.write(dst, out.array());
  }
}
