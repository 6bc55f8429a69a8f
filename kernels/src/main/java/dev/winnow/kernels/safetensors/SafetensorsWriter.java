package dev.winnow.kernels.safetensors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes float tensors to one {@code .safetensors} file in F32, F16 or BF16 (values rounded to
 * nearest, ties to even, as PyTorch's cast): the 8-byte little-endian header length, the JSON
 * header (padded with spaces to a multiple of 8), the data in insertion order. Written to a
 * temporary file and moved into place, so a failed write leaves no partial checkpoint.
 */
public final class SafetensorsWriter {
  private record Entry(float[] values, long[] shape) {}

  private final DType dtype;
  private final Map<String, Entry> tensors = new LinkedHashMap<>();

  /** Tensors to be written as {@code dtype}. */
  public SafetensorsWriter(DType dtype) {
    this.dtype = dtype;
  }

  /** Adds a tensor (row-major {@code values} of {@code shape}). */
  public SafetensorsWriter add(String name, float[] values, long... shape) {
    long n = 1;
    for (long s : shape) {
      n *= s;
    }
    if (n != values.length) {
      throw new IllegalArgumentException(
          "tensor "
              + name
              + ": "
              + values.length
              + " values for shape "
              + java.util.Arrays.toString(shape));
    }
    if (tensors.putIfAbsent(name, new Entry(values, shape.clone())) != null) {
      throw new IllegalArgumentException("tensor " + name + " added twice");
    }
    return this;
  }

  /** Writes the file. */
  public void write(Path file) {
    ObjectMapper json = new ObjectMapper();
    ObjectNode header = json.createObjectNode();
    header.putObject("__metadata__").put("format", "pt");
    long offset = 0;
    for (Map.Entry<String, Entry> e : tensors.entrySet()) {
      ObjectNode t = header.putObject(e.getKey());
      t.put("dtype", dtype.name());
      var shape = t.putArray("shape");
      for (long s : e.getValue().shape()) {
        shape.add(s);
      }
      long bytes = (long) e.getValue().values().length * dtype.bytes();
      t.putArray("data_offsets").add(offset).add(offset + bytes);
      offset += bytes;
    }
    byte[] head;
    try {
      head = json.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int padded = (head.length + 7) / 8 * 8;
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
      ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
      out.write(len.array());
      out.write(head);
      for (int i = head.length; i < padded; i++) {
        out.write(' ');
      }
      ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
      for (Entry e : tensors.values()) {
        for (float v : e.values()) {
          if (buf.remaining() < 4) {
            out.write(buf.array(), 0, buf.position());
            buf.clear();
          }
          switch (dtype) {
            case F32 -> buf.putFloat(v);
            case F16 -> buf.putShort(toHalf(v));
            case BF16 ->
                buf.putShort((short) (Float.floatToRawIntBits(DType.BF16.round(v)) >>> 16));
          }
        }
      }
      out.write(buf.array(), 0, buf.position());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
    try {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot move " + tmp + " to " + file, e);
    }
  }

  /** IEEE half-precision bits of {@code v} rounded to nearest (ties to even). */
  static short toHalf(float v) {
    float r = DType.F16.round(v);
    int bits = Float.floatToRawIntBits(r);
    int sign = (bits >>> 16) & 0x8000;
    if (Float.isNaN(r)) {
      return (short) (sign | 0x7e00);
    }
    float a = Math.abs(r);
    if (Float.isInfinite(a) || a > 65504f) {
      return (short) (sign | 0x7c00);
    }
    if (a < 6.103515625e-5f) { // subnormal: multiples of 2^-24
      return (short) (sign | Math.round(a * 16777216f));
    }
    int exp = Math.getExponent(a) + 15;
    int mantissa = (Float.floatToRawIntBits(a) >>> 13) & 0x3ff;
    return (short) (sign | (exp << 10) | mantissa);
  }
}
