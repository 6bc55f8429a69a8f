package dev.winnow.kernels.cpu;

/** A {@link MatrixBackend} that cannot run on this machine or class path; the message says why. */
public final class MatrixBackendUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final MatrixBackend backend;

  public MatrixBackendUnavailableException(MatrixBackend backend, String reason, Throwable cause) {
    super(backend.id() + " backend unavailable: " + reason, cause);
    this.backend = backend;
  }

  public MatrixBackend backend() {
    return backend;
  }
}
