package dev.winnow.kernels.safetensors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.winnow.kernels.ModelFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The weights of a Hugging Face model directory: {@code model.safetensors}, or the shards {@code
 * model-0000N-of-0000M.safetensors} listed by {@code model.safetensors.index.json} (its {@code
 * weight_map} names the shard of every tensor).
 */
public final class SafetensorsCheckpoint implements TensorSource {
  public static final String SINGLE_FILE = "model.safetensors";
  public static final String INDEX_FILE = "model.safetensors.index.json";

  private final List<SafetensorsFile> files;
  private final Map<String, SafetensorsFile> byTensor;
  private final Path dir;

  private SafetensorsCheckpoint(
      Path dir, List<SafetensorsFile> files, Map<String, SafetensorsFile> byTensor) {
    this.dir = dir;
    this.files = files;
    this.byTensor = byTensor;
  }

  /** Opens the weights of a model directory (single file preferred, else the sharded index). */
  public static SafetensorsCheckpoint open(Path dir) {
    Path single = dir.resolve(SINGLE_FILE);
    Path index = dir.resolve(INDEX_FILE);
    if (Files.isRegularFile(single)) {
      SafetensorsFile file = SafetensorsFile.open(single);
      Map<String, SafetensorsFile> map = new LinkedHashMap<>();
      for (String name : file.names()) {
        map.put(name, file);
      }
      return new SafetensorsCheckpoint(dir, List.of(file), map);
    }
    if (!Files.isRegularFile(index)) {
      throw new ModelFormatException(
          dir
              + ": no weights: neither "
              + SINGLE_FILE
              + " nor "
              + INDEX_FILE
              + " exists (PyTorch .bin checkpoints are not read; convert them to safetensors)");
    }
    JsonNode weightMap;
    try {
      weightMap = new ObjectMapper().readTree(index.toFile()).get("weight_map");
    } catch (IOException e) {
      throw new ModelFormatException(index + ": not valid JSON (" + e.getMessage() + ")", e);
    }
    if (weightMap == null || !weightMap.isObject()) {
      throw new ModelFormatException(
          index + ": has no \"weight_map\" object naming each tensor's shard");
    }
    Map<String, SafetensorsFile> shards = new LinkedHashMap<>();
    Map<String, SafetensorsFile> byTensor = new LinkedHashMap<>();
    List<SafetensorsFile> opened = new ArrayList<>();
    try {
      for (var entry : weightMap.properties()) {
        String shardName = entry.getValue().asText();
        SafetensorsFile shard = shards.get(shardName);
        if (shard == null) {
          Path shardPath = dir.resolve(shardName);
          if (!Files.isRegularFile(shardPath)) {
            throw new ModelFormatException(
                index
                    + ": shard '"
                    + shardName
                    + "' (holding tensor '"
                    + entry.getKey()
                    + "') does not exist in "
                    + dir
                    + "; download it");
          }
          shard = SafetensorsFile.open(shardPath);
          opened.add(shard);
          shards.put(shardName, shard);
        }
        if (!shard.has(entry.getKey())) {
          throw new ModelFormatException(
              shard.path()
                  + ": missing tensor '"
                  + entry.getKey()
                  + "' that "
                  + INDEX_FILE
                  + " places in it; the shard is incomplete or from another checkpoint");
        }
        byTensor.put(entry.getKey(), shard);
      }
    } catch (RuntimeException e) {
      opened.forEach(SafetensorsFile::close);
      throw e;
    }
    return new SafetensorsCheckpoint(dir, List.copyOf(opened), byTensor);
  }

  /** The files the checkpoint consists of. */
  public List<Path> files() {
    List<Path> paths = new ArrayList<>();
    files.forEach(f -> paths.add(f.path()));
    return paths;
  }

  @Override
  public Set<String> names() {
    return Collections.unmodifiableSet(byTensor.keySet());
  }

  @Override
  public TensorInfo info(String name) {
    return fileOf(name).info(name);
  }

  @Override
  public float[] floats(String name, long... expectedShape) {
    return fileOf(name).floats(name, expectedShape);
  }

  private SafetensorsFile fileOf(String name) {
    SafetensorsFile file = byTensor.get(name);
    if (file == null) {
      String where =
          files.size() == 1 ? files.get(0).path().toString() : dir.resolve(INDEX_FILE).toString();
      throw new ModelFormatException(
          where
              + ": missing tensor '"
              + name
              + "'; the checkpoint does not match config.json's architecture");
    }
    return file;
  }

  @Override
  public void close() {
    files.forEach(SafetensorsFile::close);
  }
}
