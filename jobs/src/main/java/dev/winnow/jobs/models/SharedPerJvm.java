package dev.winnow.jobs.models;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Objects shared by every subtask of one TaskManager JVM (a loaded model, its batching worker),
 * created by the first subtask that asks for a key and closed when the last one lets go
 * (reference-counted). Subtasks of one job, and of a restarted attempt, thereby load the weights
 * once per JVM and meet in the same batches.
 *
 * <pre>{@code
 * try (SharedPerJvm.Lease<ProxyLm> lm = SharedPerJvm.acquire("model|proxy-mini", () -> ProxyLm.loadCpu(dir, 2))) {
 *     lm.get().encode("text");
 * }
 * }</pre>
 */
public final class SharedPerJvm {
  private static final Map<String, Entry> INSTANCES = new HashMap<>();

  private static final class Entry {
    final AutoCloseable value;
    int users;

    Entry(AutoCloseable value) {
      this.value = value;
    }
  }

  private SharedPerJvm() {}

  /**
   * The object under {@code key}, created by {@code create} when no one holds it; close the lease
   * to let go.
   */
  public static synchronized <T extends AutoCloseable> Lease<T> acquire(
      String key, Callable<T> create) throws Exception {
    Entry e = INSTANCES.get(key);
    if (e == null) {
      e = new Entry(create.call());
      INSTANCES.put(key, e);
    }
    e.users++;
    @SuppressWarnings("unchecked")
    T value = (T) e.value;
    return new Lease<>(key, value);
  }

  /** How many subtasks hold {@code key} now (0 when it is not loaded). */
  public static synchronized int users(String key) {
    Entry e = INSTANCES.get(key);
    return e == null ? 0 : e.users;
  }

  private static synchronized void release(String key) throws Exception {
    Entry e = INSTANCES.get(key);
    if (e != null && --e.users == 0) {
      INSTANCES.remove(key);
      e.value.close();
    }
  }

  /** One holder's claim on a shared object; closing it twice releases once. */
  public static final class Lease<T extends AutoCloseable> implements AutoCloseable {
    private final String key;
    private final T value;
    private boolean released;

    private Lease(String key, T value) {
      this.key = key;
      this.value = value;
    }

    public T get() {
      return value;
    }

    @Override
    public void close() throws Exception {
      if (!released) {
        released = true;
        release(key);
      }
    }
  }
}
