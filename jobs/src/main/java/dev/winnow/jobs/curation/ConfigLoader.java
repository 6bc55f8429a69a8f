package dev.winnow.jobs.curation;

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
import java.util.stream.Collectors;

/**
 * Reads a {@link CurationConfig} from a YAML ({@code .yaml}/{@code .yml}) or JSON file onto the defaults, and
 * validates it. Errors name the file, the field path and what is allowed.
 */
public final class ConfigLoader {
  private ConfigLoader() {}

  public static CurationConfig load(Path file) throws IOException {
    if (!Files.exists(file)) {
      throw new NoSuchFileException(file.toString(), null, "config file does not exist");
    }
    String name = file.getFileName().toString().toLowerCase();
    ObjectMapper mapper = name.endsWith(".json") ? JsonMapper.builder().build() : new ObjectMapper(new YAMLFactory());
    mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    CurationConfig cfg;
    try {
      cfg = mapper.readValue(file.toFile(), CurationConfig.class);
    } catch (UnrecognizedPropertyException e) {
      throw new IllegalArgumentException("config " + file + ": unknown field " + path(e) + " (known fields there: "
          + e.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", ")) + ")", e);
    } catch (JsonMappingException e) {
      throw new IllegalArgumentException("config " + file + ": bad value for " + path(e) + ": " + e.getOriginalMessage(), e);
    }
    if (cfg == null) {
      cfg = new CurationConfig();
    }
    try {
      return cfg.validate();
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
