package dev.winnow.kernels.cpu;

/**
 * The pure-Java {@link MatrixProducts}: {@link MatMul} over {@link PackedMatrix}, on the engine's
 * workers.
 */
final class JavaMatrixProducts implements MatrixProducts {
  private final WorkerPool pool;

  JavaMatrixProducts(WorkerPool pool) {
    this.pool = pool;
  }

  @Override
  public MatrixBackend backend() {
    return MatrixBackend.JAVA;
  }

  @Override
  public Packed pack(float[] b, int k, int m) {
    return PackedMatrix.pack(b, k, m);
  }

  @Override
  public void multiply(float[] a, int rows, Packed b, float[] bias, float[] c, boolean accumulate) {
    if (!(b instanceof PackedMatrix p)) {
      throw new IllegalArgumentException(
          "a matrix packed by "
              + b.getClass().getSimpleName()
              + ", not by the Java backend; pack it with this object's pack()");
    }
    MatMul.multiply(pool, a, rows, p, bias, c, accumulate);
  }
}
