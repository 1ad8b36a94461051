import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;

/**
 * The ZSTD floor of a conversion in bench/e2e.sh: reads every page of the given ZSTD Parquet
 * files, decompresses it, then times compressing those same page bodies again, alone, at the
 * given level on one thread (one reused context, as the writer does), best of 3 passes.
 * Arguments: level file.parquet... ; run with the CLI's jar on the class path.
 */
public class ZstdPages {
  public static void main(String[] args) throws IOException {
    int level = Integer.parseInt(args[0]);
    List<byte[]> pages = new ArrayList<>();
    long compressedIn = 0;
    for (int i = 1; i < args.length; i++) {
      compressedIn += readPages(Path.of(args[i]), pages);
    }
    long raw = 0;
    for (byte[] p : pages) {
      raw += p.length;
    }
    long best = Long.MAX_VALUE;
    long out = 0;
    try (ZstdCompressCtx ctx = new ZstdCompressCtx()) {
      ctx.setLevel(level);
      for (int pass = 0; pass < 3; pass++) {
        long t0 = System.nanoTime();
        out = 0;
        for (byte[] p : pages) {
          out += ctx.compress(p).length;
        }
        best = Math.min(best, System.nanoTime() - t0);
      }
    }
    System.out.printf(
        "%d pages, %.1f MB uncompressed -> %.1f MB at level %d (files held %.1f MB of pages):"
            + " %.3f s on one thread, %.0f MB/s%n",
        pages.size(), raw / 1e6, out / 1e6, level, compressedIn / 1e6, best / 1e9,
        raw / 1e6 / (best / 1e9));
  }

  /** Adds the decompressed body of every page of {@code file}; returns the compressed bytes. */
  private static long readPages(Path file, List<byte[]> pages) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      ByteBuffer tail = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      ch.read(tail, size - 8);
      int footerLength = tail.getInt(0);
      ByteBuffer footer = ByteBuffer.allocate(footerLength);
      ch.read(footer, size - 8 - footerLength);
      FileMetaData meta = Util.readFileMetaData(new java.io.ByteArrayInputStream(footer.array()));
      long compressed = 0;
      for (RowGroup rg : meta.getRow_groups()) {
        for (ColumnChunk cc : rg.getColumns()) {
          ColumnMetaData cm = cc.getMeta_data();
          long start =
              cm.isSetDictionary_page_offset() && cm.getDictionary_page_offset() > 0
                  ? Math.min(cm.getDictionary_page_offset(), cm.getData_page_offset())
                  : cm.getData_page_offset();
          ByteBuffer chunk = ByteBuffer.allocate((int) cm.getTotal_compressed_size());
          ch.read(chunk, start);
          byte[] b = chunk.array();
          InputStream in = new java.io.ByteArrayInputStream(b);
          int pos = 0;
          while (pos < b.length) {
            in = new java.io.ByteArrayInputStream(b, pos, b.length - pos);
            int before = in.available();
            PageHeader h = Util.readPageHeader(in);
            pos += before - in.available();
            int levels = 0;
            if (h.isSetData_page_header_v2()) {
              levels =
                  h.getData_page_header_v2().getDefinition_levels_byte_length()
                      + h.getData_page_header_v2().getRepetition_levels_byte_length();
            }
            int csize = h.getCompressed_page_size() - levels;
            int usize = h.getUncompressed_page_size() - levels;
            byte[] body = new byte[csize];
            System.arraycopy(b, pos + levels, body, 0, csize);
            pages.add(Zstd.decompress(body, usize));
            compressed += csize;
            pos += h.getCompressed_page_size();
          }
        }
      }
      return compressed;
    }
  }
}
