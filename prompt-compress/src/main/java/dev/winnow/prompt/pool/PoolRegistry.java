package dev.winnow.prompt.pool;

import dev.winnow.prompt.InvalidRequestException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The named pools under one root directory, one sub-directory per pool ({@code ROOT/NAME}): every
 * pool found there is opened at start, so pools survive a restart. Thread-safe.
 */
public final class PoolRegistry implements AutoCloseable {
  /** Pool names: letters, digits, {@code _ . -}, 1 to 64 characters, not starting with a dot. */
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]{0,63}");

  private final Path root;
  private final DemonstrationEmbedder embedder;
  private final Map<String, DemonstrationPool> pools = new TreeMap<>();

  public PoolRegistry(Path root, DemonstrationEmbedder embedder) {
    this.root = root;
    this.embedder = embedder;
    try {
      Files.createDirectories(root);
      try (Stream<Path> dirs = Files.list(root)) {
        for (Path dir :
            dirs.filter(d -> Files.exists(d.resolve(DemonstrationPool.SETTINGS_FILE)))
                .sorted(Comparator.naturalOrder())
                .toList()) {
          String name = dir.getFileName().toString();
          if (NAME.matcher(name).matches()) {
            pools.put(name, DemonstrationPool.open(dir, embedder));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot open the pool directory " + root + ": " + e.getMessage(), e);
    }
  }

  public Path root() {
    return root;
  }

  public static String checkName(String field, String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new InvalidRequestException(
          field,
          "illegal pool name \""
              + name
              + "\": 1 to 64 letters, digits, "
              + "'_', '.' or '-', not starting with '.'");
    }
    return name;
  }

  public synchronized Optional<DemonstrationPool> get(String name) {
    return Optional.ofNullable(pools.get(name));
  }

  public synchronized List<String> names() {
    return new ArrayList<>(pools.keySet());
  }

  /**
   * The pool of that name, created empty when there is none; the boolean says whether it was
   * created.
   */
  public synchronized Map.Entry<DemonstrationPool, Boolean> getOrCreate(String name) {
    checkName("pool", name);
    DemonstrationPool pool = pools.get(name);
    if (pool != null) {
      return Map.entry(pool, false);
    }
    pool = DemonstrationPool.open(root.resolve(name), embedder);
    pools.put(name, pool);
    return Map.entry(pool, true);
  }

  /** Closes the pool and deletes its directory; false when there was no such pool. */
  public synchronized boolean drop(String name) {
    DemonstrationPool pool = pools.remove(name);
    if (pool == null) {
      return false;
    }
    pool.close();
    try (Stream<Path> files = Files.walk(pool.directory())) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot delete pool directory " + pool.directory() + ": " + e.getMessage(), e);
    }
    return true;
  }

  @Override
  public synchronized void close() {
    RuntimeException first = null;
    for (DemonstrationPool pool : pools.values()) {
      try {
        pool.close();
      } catch (RuntimeException e) {
        first = first == null ? e : first;
      }
    }
    pools.clear();
    if (first != null) {
      throw first;
    }
  }
}
