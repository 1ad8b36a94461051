package dev.parquetingest.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.Util;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;

/**
 * Reads a Parquet footer with parquet-java's own footer parser and converter, without Hadoop
 * ({@code ParquetFileReader} needs Hadoop's MapReduce classes on the class path).
 */
public final class ParquetFooters {
  private ParquetFooters() {}

  public static ParquetMetadata read(Path file) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      ByteBuffer tail = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      ch.read(tail, size - 8);
      tail.flip();
      int footerLength = tail.getInt();
      byte[] magic = new byte[4];
      tail.get(magic);
      if (!"PAR1".equals(new String(magic, java.nio.charset.StandardCharsets.US_ASCII))) {
        throw new AssertionError(file + " does not end with PAR1");
      }
      ByteBuffer footer = ByteBuffer.allocate(footerLength);
      ch.read(footer, size - 8 - footerLength);
      FileMetaData meta = Util.readFileMetaData(new ByteArrayInputStream(footer.array()));
      return new ParquetMetadataConverter().fromParquetMetadata(meta);
    } catch (IOException e) {
      throw new AssertionError("Cannot read footer of " + file + ": " + e, e);
    }
  }
}
