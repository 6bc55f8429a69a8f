package dev.winnow.kernels.train;

import java.util.Arrays;

/**
 * One trainable tensor: its values, its gradient (allocated only while it is trainable) and whether
 * AdamW decays it.
 *
 * <p>Values are float32, row-major, in the training path's own layout ({@link TrainableModel} says
 * which); {@link TrainableModel#huggingFaceGradients} converts to Hugging Face names and layouts.
 */
public final class Parameter {
  private final String name;
  private final int[] shape;
  private final float[] value;
  private final boolean decayed;
  private float[] grad;

  Parameter(String name, float[] value, boolean decayed, int... shape) {
    long n = 1;
    for (int s : shape) {
      n *= s;
    }
    if (n != value.length) {
      throw new IllegalArgumentException(
          "parameter "
              + name
              + ": "
              + value.length
              + " values for shape "
              + Arrays.toString(shape));
    }
    this.name = name;
    this.shape = shape.clone();
    this.value = value;
    this.decayed = decayed;
  }

  /**
   * The name: a Hugging Face name for model weights, else {@code model.layers.L.gate} and so on.
   */
  public String name() {
    return name;
  }

  /** The shape in the training path's layout. */
  public int[] shape() {
    return shape.clone();
  }

  /** The values, live (an optimizer step changes them in place). */
  public float[] value() {
    return value;
  }

  /**
   * The gradient accumulated since the last {@link TrainableModel#zeroGradients}, or null if
   * frozen.
   */
  public float[] grad() {
    return grad;
  }

  /** Whether it is trainable now. */
  public boolean trainable() {
    return grad != null;
  }

  /** Whether AdamW's weight decay applies (matrices yes; norms, biases, gates, scales no). */
  public boolean decayed() {
    return decayed;
  }

  void setTrainable(boolean trainable) {
    if (trainable && grad == null) {
      grad = new float[value.length];
    } else if (!trainable) {
      grad = null;
    }
  }

  int size() {
    return value.length;
  }
}
