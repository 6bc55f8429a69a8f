package dev.winnow.ingest.io;

import io.airlift.compress.Compressor;
import io.airlift.compress.Decompressor;
import io.airlift.compress.lz4.Lz4Compressor;
import io.airlift.compress.lz4.Lz4Decompressor;
import io.airlift.compress.snappy.SnappyCompressor;
import io.airlift.compress.snappy.SnappyDecompressor;
import io.airlift.compress.zstd.ZstdCompressor;
import io.airlift.compress.zstd.ZstdDecompressor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.filter2.compat.FilterCompat;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Parquet page codecs without Hadoop: parquet-java's own {@code CodecFactory} builds Hadoop codec
 * objects (and a Hadoop {@code Configuration}) for every codec, even for uncompressed files, which
 * would need the 50 MB of {@code hadoop-client-api} and {@code hadoop-client-runtime} on the class
 * path. These are the pure-Java codecs of aircompressor (which parquet-java already depends on) and
 * the JDK's gzip: {@code UNCOMPRESSED}, {@code SNAPPY}, {@code ZSTD}, {@code GZIP}, {@code LZ4_RAW}
 * — what published data sets use. {@code BROTLI}, {@code LZO} and Hadoop-framed {@code LZ4} fail
 * with a message naming the codec.
 */
public final class ParquetCodecs implements CompressionCodecFactory {
  public static final ParquetCodecs INSTANCE = new ParquetCodecs();

  private ParquetCodecs() {}

  @Override
  public BytesInputCompressor getCompressor(CompressionCodecName codec) {
    return new BytesInputCompressor() {
      @Override
      public BytesInput compress(BytesInput bytes) throws IOException {
        byte[] in = bytes.toByteArray();
        return BytesInput.from(ParquetCodecs.compress(codec, in));
      }

      @Override
      public CompressionCodecName getCodecName() {
        return codec;
      }

      @Override
      public void release() {}
    };
  }

  @Override
  public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
    return new BytesInputDecompressor() {
      @Override
      public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
        return BytesInput.from(
            ParquetCodecs.decompress(codec, bytes.toByteArray(), uncompressedSize));
      }

      @Override
      public void decompress(
          ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize)
          throws IOException {
        byte[] in = new byte[compressedSize];
        input.duplicate().get(in);
        output.put(ParquetCodecs.decompress(codec, in, uncompressedSize));
      }

      @Override
      public void release() {}
    };
  }

  @Override
  public void release() {}

  /**
   * Read options with these codecs and without Hadoop. parquet-java's options builder creates its
   * Hadoop codec factory in its constructor, before {@code withCodecFactory} can replace it, so the
   * options are made with their (package-private) constructor: no filters (none are used), no
   * vectored I/O, heap buffers, the default 8 MiB allocation limit. Pinned to parquet-java 1.18;
   * {@code ParquetReadingTest} fails if a new version changes the constructor.
   */
  static ParquetReadOptions readOptions() {
    try {
      for (Constructor<?> c : ParquetReadOptions.class.getDeclaredConstructors()) {
        Class<?>[] p = c.getParameterTypes();
        if (p.length == 18 && p[17] == ParquetConfiguration.class) {
          Object[] args = new Object[18];
          for (int i = 0; i < 9; i++) {
            args[i] = false; // signed min/max, stats, dictionary, record, column-index filters,
            // page checksums, bloom filters, off-heap decryption, vectored I/O
          }
          args[9] = FilterCompat.NOOP;
          args[10] = ParquetMetadataConverter.NO_FILTER;
          args[11] = INSTANCE;
          args[12] = new HeapByteBufferAllocator();
          args[13] = 8 * 1024 * 1024;
          args[14] = new HashMap<String, String>();
          args[15] = null; // no decryption
          args[16] = null; // no metrics callback
          args[17] = new PlainParquetConfiguration();
          c.setAccessible(true);
          return (ParquetReadOptions) c.newInstance(args);
        }
      }
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot make Parquet read options: " + e, e);
    }
    throw new IllegalStateException(
        "parquet-java's ParquetReadOptions constructor changed: update ParquetCodecs.readOptions");
  }

  static byte[] decompress(CompressionCodecName codec, byte[] in, int size) throws IOException {
    switch (codec) {
      case UNCOMPRESSED:
        return in;
      case GZIP:
        try (InputStream z = new GZIPInputStream(new ByteArrayInputStream(in))) {
          byte[] out = z.readNBytes(size);
          if (out.length != size) {
            throw new IOException(
                "GZIP page holds " + out.length + " bytes, the page header says " + size);
          }
          return out;
        }
      default:
        byte[] out = new byte[size];
        int n = decompressor(codec).decompress(in, 0, in.length, out, 0, size);
        if (n != size) {
          throw new IOException(
              codec + " page holds " + n + " bytes, the page header says " + size);
        }
        return out;
    }
  }

  static byte[] compress(CompressionCodecName codec, byte[] in) throws IOException {
    switch (codec) {
      case UNCOMPRESSED:
        return in;
      case GZIP:
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(bytes)) {
          z.write(in);
        }
        return bytes.toByteArray();
      default:
        Compressor c = compressor(codec);
        byte[] out = new byte[c.maxCompressedLength(in.length)];
        int n = c.compress(in, 0, in.length, out, 0, out.length);
        byte[] exact = new byte[n];
        System.arraycopy(out, 0, exact, 0, n);
        return exact;
    }
  }

  private static Decompressor decompressor(CompressionCodecName codec) throws IOException {
    return switch (codec) {
      case SNAPPY -> new SnappyDecompressor();
      case ZSTD -> new ZstdDecompressor();
      case LZ4_RAW -> new Lz4Decompressor();
      default -> throw unsupported(codec);
    };
  }

  private static Compressor compressor(CompressionCodecName codec) throws IOException {
    return switch (codec) {
      case SNAPPY -> new SnappyCompressor();
      case ZSTD -> new ZstdCompressor();
      case LZ4_RAW -> new Lz4Compressor();
      default -> throw unsupported(codec);
    };
  }

  private static IOException unsupported(CompressionCodecName codec) {
    return new IOException(
        "Parquet codec "
            + codec
            + " is not supported (UNCOMPRESSED, SNAPPY, ZSTD, GZIP and LZ4_RAW are); rewrite the file"
            + " with one of those");
  }
}
