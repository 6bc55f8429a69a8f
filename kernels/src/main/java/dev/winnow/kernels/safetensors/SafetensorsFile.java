package dev.winnow.kernels.safetensors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.winnow.kernels.ModelFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One {@code .safetensors} file, memory-mapped.
 *
 * <p>Layout: an unsigned 64-bit little-endian header length {@code N}, {@code N} bytes of JSON
 * mapping each tensor name to {@code {"dtype", "shape", "data_offsets": [begin, end]}} (offsets
 * counted from the end of the header), then the data. The header is checked when the file is opened
 * (offsets inside the file, sizes matching shape × dtype), so a truncated download fails here,
 * naming the file and the first tensor that does not fit. Tensor data is mapped on demand, one
 * tensor at a time (a mapping is limited to 2 GiB, a whole checkpoint is not).
 */
public final class SafetensorsFile implements TensorSource {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MAX_HEADER_BYTES = 100L << 20;

  private final Path path;
  private final FileChannel channel;
  private final Map<String, TensorInfo> tensors;
  private final Map<String, String> unsupportedDtypes;

  private SafetensorsFile(
      Path path,
      FileChannel channel,
      Map<String, TensorInfo> tensors,
      Map<String, String> unsupportedDtypes) {
    this.path = path;
    this.channel = channel;
    this.tensors = tensors;
    this.unsupportedDtypes = unsupportedDtypes;
  }

  /** Opens and validates the header of {@code path}. */
  public static SafetensorsFile open(Path path) {
    FileChannel channel;
    try {
      channel = FileChannel.open(path, StandardOpenOption.READ);
    } catch (IOException e) {
      throw new ModelFormatException(path + ": cannot open the weights file (" + e + ")", e);
    }
    try {
      return parse(path, channel);
    } catch (RuntimeException | IOException e) {
      closeQuietly(channel);
      if (e instanceof ModelFormatException) {
        throw (ModelFormatException) e;
      }
      throw new ModelFormatException(path + ": cannot read the safetensors header (" + e + ")", e);
    }
  }

  private static SafetensorsFile parse(Path path, FileChannel channel) throws IOException {
    long size = channel.size();
    if (size < 8) {
      throw new ModelFormatException(
          path
              + ": truncated safetensors file ("
              + size
              + " bytes, less than the 8-byte header length); download it again");
    }
    ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    readFully(channel, lengthBytes, 0);
    long headerLength = lengthBytes.getLong(0);
    if (headerLength <= 0 || headerLength > MAX_HEADER_BYTES) {
      throw new ModelFormatException(
          path
              + ": not a safetensors file (header length "
              + headerLength
              + " is not between 1 and "
              + MAX_HEADER_BYTES
              + " bytes)");
    }
    if (8 + headerLength > size) {
      throw new ModelFormatException(
          path
              + ": truncated safetensors file (header needs "
              + (8 + headerLength)
              + " bytes, file has "
              + size
              + "); download it again");
    }
    ByteBuffer header = ByteBuffer.allocate((int) headerLength);
    readFully(channel, header, 8);
    JsonNode root;
    try {
      root = JSON.readTree(header.array());
    } catch (IOException e) {
      throw new ModelFormatException(
          path + ": not a safetensors file (header is not JSON: " + e.getMessage() + ")", e);
    }
    if (root == null || !root.isObject()) {
      throw new ModelFormatException(
          path + ": not a safetensors file (header is not a JSON object)");
    }
    long dataStart = 8 + headerLength;
    Map<String, TensorInfo> tensors = new LinkedHashMap<>();
    Map<String, String> unsupported = new LinkedHashMap<>();
    for (var field : root.properties()) {
      String name = field.getKey();
      if (name.equals("__metadata__")) {
        continue;
      }
      JsonNode entry = field.getValue();
      JsonNode offsets = entry.get("data_offsets");
      JsonNode shapeNode = entry.get("shape");
      String dtypeName = entry.path("dtype").asText("");
      if (offsets == null || offsets.size() != 2 || shapeNode == null || !shapeNode.isArray()) {
        throw new ModelFormatException(
            path
                + ": tensor '"
                + name
                + "' has a malformed header entry (needs dtype, shape, data_offsets): "
                + entry);
      }
      long[] shape = new long[shapeNode.size()];
      for (int i = 0; i < shape.length; i++) {
        shape[i] = shapeNode.get(i).asLong();
      }
      long begin = dataStart + offsets.get(0).asLong();
      long end = dataStart + offsets.get(1).asLong();
      if (end > size) {
        throw new ModelFormatException(
            path
                + ": truncated safetensors file: tensor '"
                + name
                + "' ends at byte "
                + end
                + " but the file has "
                + size
                + " bytes; download it again");
      }
      if (begin < dataStart || end < begin) {
        throw new ModelFormatException(
            path + ": tensor '" + name + "' has invalid data_offsets " + offsets);
      }
      DType dtype = DType.fromHeader(dtypeName);
      if (dtype == null) {
        unsupported.put(name, dtypeName);
        continue;
      }
      TensorInfo info = new TensorInfo(path, name, dtype, shape, begin, end);
      if (info.elementCount() * dtype.bytes() != end - begin) {
        throw new ModelFormatException(
            path
                + ": tensor '"
                + name
                + "' has "
                + (end - begin)
                + " bytes of data, but shape "
                + info.shapeString()
                + " in "
                + dtype
                + " needs "
                + info.elementCount() * dtype.bytes());
      }
      tensors.put(name, info);
    }
    return new SafetensorsFile(
        path,
        channel,
        Collections.unmodifiableMap(tensors),
        Collections.unmodifiableMap(unsupported));
  }

  private static void readFully(FileChannel channel, ByteBuffer dst, long position)
      throws IOException {
    while (dst.hasRemaining()) {
      int n = channel.read(dst, position + dst.position());
      if (n < 0) {
        throw new IOException("unexpected end of file");
      }
    }
  }

  /** The file's path. */
  public Path path() {
    return path;
  }

  @Override
  public Set<String> names() {
    Set<String> all = new java.util.LinkedHashSet<>(tensors.keySet());
    all.addAll(unsupportedDtypes.keySet());
    return all;
  }

  @Override
  public TensorInfo info(String name) {
    TensorInfo info = tensors.get(name);
    if (info != null) {
      return info;
    }
    String dtype = unsupportedDtypes.get(name);
    if (dtype != null) {
      throw new ModelFormatException(
          path
              + ": tensor '"
              + name
              + "' has dtype "
              + dtype
              + ", which is not supported (use a checkpoint stored as F32, F16 or BF16)");
    }
    throw new ModelFormatException(
        path
            + ": missing tensor '"
            + name
            + "'; the checkpoint does not match config.json's architecture");
  }

  @Override
  public float[] floats(String name, long... expectedShape) {
    TensorInfo info = info(name);
    if (!java.util.Arrays.equals(info.shape(), expectedShape)) {
      throw new ModelFormatException(
          path
              + ": tensor '"
              + name
              + "' has shape "
              + info.shapeString()
              + ", expected "
              + java.util.Arrays.toString(expectedShape)
              + " from config.json; the weights do not belong to this config.json");
    }
    long count = info.elementCount();
    if (count > Integer.MAX_VALUE - 8) {
      throw new ModelFormatException(
          path
              + ": tensor '"
              + name
              + "' has "
              + count
              + " elements, more than a Java array holds");
    }
    float[] out = new float[(int) count];
    try {
      ByteBuffer data =
          channel
              .map(FileChannel.MapMode.READ_ONLY, info.begin(), info.end() - info.begin())
              .order(ByteOrder.LITTLE_ENDIAN);
      info.dtype().readAsFloat(data, out, 0, (int) count);
    } catch (IOException e) {
      throw new ModelFormatException(path + ": cannot map tensor '" + name + "' (" + e + ")", e);
    }
    return out;
  }

  @Override
  public void close() {
    closeQuietly(channel);
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // nothing to do: the file was only read
    }
  }
}
