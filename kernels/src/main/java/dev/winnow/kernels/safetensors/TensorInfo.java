package dev.winnow.kernels.safetensors;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * One tensor's entry in a safetensors header.
 *
 * @param file the file that holds it
 * @param name the tensor's name, e.g. {@code model.layers.0.self_attn.q_proj.weight}
 * @param dtype element type
 * @param shape dimensions, outermost first (row-major)
 * @param begin first byte of the data, counted from the start of the file
 * @param end one past the last byte of the data, counted from the start of the file
 */
public record TensorInfo(Path file, String name, DType dtype, long[] shape, long begin, long end) {

  /** Number of elements: the product of the shape (1 for a scalar). */
  public long elementCount() {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }

  /** The shape as {@code [a, b]} for messages. */
  public String shapeString() {
    return Arrays.toString(shape);
  }
}
