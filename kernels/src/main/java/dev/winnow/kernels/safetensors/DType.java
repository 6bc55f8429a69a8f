package dev.winnow.kernels.safetensors;

import java.nio.ByteBuffer;

/**
 * Element types of a safetensors tensor that the engines read. Every value is widened to float32 on
 * read: float16 through {@link Float#float16ToFloat}-equivalent bit manipulation, bfloat16 by
 * placing its 16 bits in the high half of a float32.
 */
public enum DType {
  F32(4),
  F16(2),
  BF16(2);

  private final int bytes;

  DType(int bytes) {
    this.bytes = bytes;
  }

  /** Size of one element in bytes. */
  public int bytes() {
    return bytes;
  }

  /**
   * The dtype for a safetensors header's {@code dtype} string, or {@code null} if the engines do
   * not read it (I8, F64, F8_E4M3, ...).
   */
  public static DType fromHeader(String name) {
    switch (name) {
      case "F32":
        return F32;
      case "F16":
        return F16;
      case "BF16":
        return BF16;
      default:
        return null;
    }
  }

  /**
   * Reads {@code count} elements from {@code src} (little-endian, at its position) into {@code
   * dst[dstOffset..]}.
   */
  void readAsFloat(ByteBuffer src, float[] dst, int dstOffset, int count) {
    switch (this) {
      case F32:
        src.asFloatBuffer().get(dst, dstOffset, count);
        break;
      case F16:
        {
          var shorts = src.asShortBuffer();
          for (int i = 0; i < count; i++) {
            dst[dstOffset + i] = halfToFloat(shorts.get(i));
          }
          break;
        }
      case BF16:
        {
          var shorts = src.asShortBuffer();
          for (int i = 0; i < count; i++) {
            dst[dstOffset + i] = Float.intBitsToFloat((shorts.get(i) & 0xffff) << 16);
          }
          break;
        }
      default:
        throw new AssertionError(this);
    }
  }

  /**
   * {@code value} rounded to the nearest value of this type (ties to even), returned as float32:
   * what a cast to this dtype and back does in PyTorch. Identity for F32.
   */
  public float round(float value) {
    if (this == F32 || value == 0 || !Float.isFinite(value)) {
      return value;
    }
    int mantissaBits = this == F16 ? 10 : 7;
    int exponent = Math.max(Math.getExponent(value), this == F16 ? -14 : Float.MIN_EXPONENT);
    double quantum = Math.scalb(1.0, exponent - mantissaBits);
    double rounded = Math.rint(value / quantum) * quantum;
    if (this == F16 && Math.abs(rounded) > 65504) {
      return value > 0 ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY;
    }
    return (float) rounded;
  }

  /** IEEE 754 binary16 to binary32, exact (subnormals, infinities and NaN included). */
  static float halfToFloat(short half) {
    int h = half & 0xffff;
    int sign = (h & 0x8000) << 16;
    int exp = (h >>> 10) & 0x1f;
    int mant = h & 0x3ff;
    if (exp == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
    }
    if (exp == 0) {
      if (mant == 0) {
        return Float.intBitsToFloat(sign);
      }
      // subnormal: value = mant * 2^-24, exactly representable in float32
      float v = mant * 0x1p-24f;
      return sign == 0 ? v : -v;
    }
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
  }
}
