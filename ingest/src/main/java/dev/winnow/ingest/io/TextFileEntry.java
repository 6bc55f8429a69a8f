package dev.winnow.ingest.io;

import dev.winnow.ingest.Document;
import dev.winnow.ingest.DocumentIds;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A plain-text file as one document (UTF-8), id from its content, {@code meta.path} its path
 * relative to the directory it was found in, the directory's name as its source.
 */
final class TextFileEntry implements FileEntries {
  private final Path file;
  private final Path root;
  private boolean done;

  TextFileEntry(Path file, Path root) {
    this.file = file;
    this.root = root;
  }

  @Override
  public InputEntry next() throws IOException {
    if (done) {
      return null;
    }
    done = true;
    byte[] raw = Files.readAllBytes(file);
    String where = file.toString();
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(raw))
              .toString();
    } catch (CharacterCodingException e) {
      return new InputEntry(0, where, raw.length, null, "file is not valid UTF-8 text");
    }
    String rel = root == null ? file.getFileName().toString() : root.relativize(file).toString();
    String source = root == null ? null : root.getFileName().toString();
    Document d = new Document(DocumentIds.fromContent(text), text, source, Map.of("path", rel));
    return new InputEntry(0, where, raw.length, d, null);
  }

  @Override
  public void close() {}
}
