package dev.winnow.kernels.safetensors;

import java.io.Closeable;
import java.util.Set;

/** Named tensors read as float32, from one safetensors file or from the shards of a checkpoint. */
public interface TensorSource extends Closeable {

  /** Names of all tensors. */
  Set<String> names();

  /** Whether a tensor of this name exists. */
  default boolean has(String name) {
    return names().contains(name);
  }

  /**
   * The header entry of a tensor; throws {@link dev.winnow.kernels.ModelFormatException} if there
   * is none.
   */
  TensorInfo info(String name);

  /**
   * The tensor's values widened to float32, row-major, after checking that its shape is {@code
   * expectedShape}.
   *
   * @throws dev.winnow.kernels.ModelFormatException naming file and tensor if it is missing or its
   *     shape differs
   */
  float[] floats(String name, long... expectedShape);

  @Override
  void close();
}
