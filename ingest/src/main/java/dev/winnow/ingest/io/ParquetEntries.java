package dev.winnow.ingest.io;

import dev.winnow.ingest.Document;
import dev.winnow.ingest.DocumentIds;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * The rows of a Parquet file as documents, read with parquet-java's file reader on a {@link
 * LocalInputFile} (no Hadoop file system, no Hadoop on the class path), one row group at a time:
 * memory is bounded by the largest row group's projected columns.
 *
 * <p>Only the text column and the other top-level scalar columns are read (a projection; nested,
 * repeated and list/map columns are not decoded at all). The text column (default {@code text},
 * {@link ReadOptions#textColumn()}) must be a string; a string {@code id} column becomes the
 * document id and a string {@code source} column its source, every other scalar column goes into
 * {@code meta} under its name (strings, integers, floating point, booleans; binary columns only
 * when they hold UTF-8). A null column value is left out of {@code meta}. A row whose text is null,
 * empty or not UTF-8 is an entry with its reason; a file without the text column is one such entry
 * (naming the columns it has) and nothing else.
 */
final class ParquetEntries implements FileEntries {
  private final Path file;
  private final ParquetFileReader reader;
  private final MessageType projection;
  private final MessageColumnIO columnIO;
  private final String textColumn;
  private final String missingColumn;
  private RecordReader<Group> rows;
  private long rowsLeft;
  private long rowNumber;
  private boolean failed;

  ParquetEntries(Path file, ReadOptions options) throws IOException {
    this.file = file;
    this.textColumn = options.textColumn();
    this.reader = new ParquetFileReader(new LocalInputFile(file), ParquetCodecs.readOptions());
    MessageType schema = reader.getFooter().getFileMetaData().getSchema();
    List<Type> scalars = new ArrayList<>();
    List<String> names = new ArrayList<>();
    boolean hasText = false;
    for (Type t : schema.getFields()) {
      names.add(t.getName());
      if (t.isPrimitive() && !t.isRepetition(Type.Repetition.REPEATED)) {
        scalars.add(t);
        hasText |= t.getName().equals(textColumn);
      }
    }
    if (!hasText) {
      this.missingColumn =
          "no scalar column '"
              + textColumn
              + "' in the Parquet schema (columns: "
              + String.join(", ", names)
              + "); name the text column with --text-column";
      this.projection = null;
      this.columnIO = null;
    } else {
      this.missingColumn = null;
      this.projection = new MessageType(schema.getName(), scalars);
      reader.setRequestedSchema(projection);
      this.columnIO = new ColumnIOFactory().getColumnIO(projection);
    }
  }

  @Override
  public InputEntry next() throws IOException {
    if (missingColumn != null) {
      if (rowNumber++ == 0) {
        return new InputEntry(0, file.toString(), 0, null, missingColumn);
      }
      return null;
    }
    if (failed) {
      return null;
    }
    Group row;
    try {
      while (rowsLeft == 0) {
        PageReadStore group = reader.readNextRowGroup();
        if (group == null) {
          return null;
        }
        rows = columnIO.getRecordReader(group, new GroupRecordConverter(projection));
        rowsLeft = group.getRowCount();
      }
      row = rows.read();
    } catch (IOException | RuntimeException e) {
      // a corrupt page or row group: the rest of the file cannot be trusted
      failed = true;
      return new InputEntry(
          0,
          file + ":row " + (rowNumber + 1),
          0,
          null,
          "unreadable Parquet data from row " + (rowNumber + 1) + " on: " + FileEntries.message(e));
    }
    rowsLeft--;
    rowNumber++;
    String where = file + ":row " + rowNumber;
    String text = null;
    String id = null;
    String source = null;
    Map<String, Object> meta = new LinkedHashMap<>();
    long bytes = 0;
    for (int i = 0; i < projection.getFieldCount(); i++) {
      PrimitiveType type = projection.getType(i).asPrimitiveType();
      String name = type.getName();
      if (row.getFieldRepetitionCount(i) == 0) {
        continue; // null
      }
      if (name.equals(textColumn)) {
        if (type.getPrimitiveTypeName() != PrimitiveType.PrimitiveTypeName.BINARY) {
          return new InputEntry(
              0, where, 0, null, "column '" + name + "' is " + type + ", not a string column");
        }
        Binary b = row.getBinary(i, 0);
        bytes = b.length();
        text = utf8(b);
        if (text == null) {
          return new InputEntry(0, where, bytes, null, "text is not valid UTF-8");
        }
        continue;
      }
      Object value = value(row, i, type);
      if (value == null) {
        continue;
      }
      if (name.equals("id") && value instanceof String s && !s.isEmpty()) {
        id = s;
      } else if (name.equals("source") && value instanceof String s) {
        source = s;
      } else {
        meta.put(name, value);
      }
    }
    if (text == null || text.isEmpty()) {
      return new InputEntry(
          0, where, bytes, null, "no text: column '" + textColumn + "' is null or empty");
    }
    Document d = new Document(id != null ? id : DocumentIds.fromContent(text), text, source, meta);
    return new InputEntry(0, where, bytes, d, null);
  }

  private static Object value(Group row, int i, PrimitiveType type) {
    LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
    switch (type.getPrimitiveTypeName()) {
      case BINARY:
        return utf8(row.getBinary(i, 0));
      case INT32:
        return row.getInteger(i, 0);
      case INT64:
        return row.getLong(i, 0);
      case FLOAT:
        return row.getFloat(i, 0);
      case DOUBLE:
        return row.getDouble(i, 0);
      case BOOLEAN:
        return row.getBoolean(i, 0);
      default:
        // INT96 timestamps, fixed-length binaries (decimals, UUIDs): not meta
        return logical instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
            ? utf8(row.getBinary(i, 0))
            : null;
    }
  }

  private static String utf8(Binary b) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b.getBytesUnsafe()))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
