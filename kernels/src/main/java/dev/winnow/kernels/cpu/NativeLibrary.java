package dev.winnow.kernels.cpu;

import java.util.concurrent.Callable;

/**
 * A backend's native library, loaded once per process: what loaded, or the reason it cannot run
 * here, kept so that every later engine gets the same answer without trying again. The system
 * property {@value #NATIVE_PROPERTY} {@code =off} keeps every native library unloaded.
 */
final class NativeLibrary {
  /**
   * {@code -Dwinnow.kernels.native=off} keeps every native library unloaded (the Java product
   * runs).
   */
  static final String NATIVE_PROPERTY = "winnow.kernels.native";

  private final MatrixBackend backend;
  private final String whenFailing;
  private final Callable<String> load;
  private String loaded;
  private MatrixBackendUnavailableException failed;

  /**
   * @param whenFailing the start of the reason when loading throws, e.g. {@code "its native library
   *     did not load"}; the platform and the error follow
   * @param load loads the library and returns what loaded (version, platform, threads)
   */
  NativeLibrary(MatrixBackend backend, String whenFailing, Callable<String> load) {
    this.backend = backend;
    this.whenFailing = whenFailing;
    this.load = load;
  }

  /**
   * What loaded, loading it on the first call.
   *
   * @throws MatrixBackendUnavailableException if native code is disabled or the library does not
   *     load or run here (the reason is kept)
   */
  synchronized String probe() {
    if ("off".equalsIgnoreCase(System.getProperty(NATIVE_PROPERTY, "").trim())) {
      throw new MatrixBackendUnavailableException(
          backend, "native libraries disabled by -D" + NATIVE_PROPERTY + "=off", null);
    }
    if (loaded != null) {
      return loaded;
    }
    if (failed != null) {
      throw failed;
    }
    try {
      loaded = load.call();
      return loaded;
    } catch (LinkageError | Exception e) {
      failed =
          new MatrixBackendUnavailableException(
              backend,
              whenFailing
                  + " on "
                  + System.getProperty("os.name")
                  + "/"
                  + System.getProperty("os.arch")
                  + " ("
                  + e
                  + ")",
              e);
      throw failed;
    }
  }
}
