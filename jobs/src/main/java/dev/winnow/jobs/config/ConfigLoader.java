package dev.winnow.jobs.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Reads a job's configuration from a YAML ({@code .yaml}/{@code .yml}) or JSON file onto its
 * defaults, and validates it. Errors name the file, the field path and what is allowed.
 */
public final class ConfigLoader {
  private ConfigLoader() {}

  /**
   * The file as a {@code type} (its no-argument constructor gives the defaults of what the file
   * omits), passed through {@code validate}.
   *
   * @throws NoSuchFileException when the file does not exist
   * @throws IllegalArgumentException naming the file and the field for an unknown field, a bad
   *     value or a failed check
   */
  public static <T> T load(Path file, Class<T> type, UnaryOperator<T> validate) throws IOException {
    if (!Files.exists(file)) {
      throw new NoSuchFileException(file.toString(), null, "config file does not exist");
    }
    String name = file.getFileName().toString().toLowerCase();
    ObjectMapper mapper =
        name.endsWith(".json") ? JsonMapper.builder().build() : new ObjectMapper(new YAMLFactory());
    mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    T cfg;
    try {
      cfg = mapper.readValue(file.toFile(), type);
    } catch (UnrecognizedPropertyException e) {
      throw new IllegalArgumentException(
          "config "
              + file
              + ": unknown field "
              + path(e)
              + " (known fields there: "
              + e.getKnownPropertyIds().stream()
                  .map(Object::toString)
                  .sorted()
                  .collect(Collectors.joining(", "))
              + ")",
          e);
    } catch (JsonMappingException e) {
      throw new IllegalArgumentException(
          "config " + file + ": bad value for " + path(e) + ": " + e.getOriginalMessage(), e);
    }
    if (cfg == null) {
      try {
        cfg = type.getDeclaredConstructor().newInstance();
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(type + " has no public no-argument constructor", e);
      }
    }
    try {
      return validate.apply(cfg);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("config " + file + ": " + e.getMessage(), e);
    }
  }

  private static String path(JsonMappingException e) {
    return e.getPath().stream()
        .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining("."));
  }
}
