package dev.parquetingest.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parquetingest.IngestReport;
import dev.parquetingest.ParquetIngest;
import dev.parquetingest.schema.ColumnType;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.KeyedSource;
import dev.parquetingest.spi.Position;
import dev.parquetingest.spi.Sink;
import dev.parquetingest.spi.Source;
import dev.parquetingest.testing.LinesEncoderProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime's {@link KeyedSource} hook: a file per source key, named by the source; a name the
 * sink holds is the source's to skip; the source can finish the files of some keys from inside a
 * read.
 */
class KeyedSourceTest {
  private static final Schema SCHEMA =
      Schema.builder()
          .required("id", ColumnType.int64())
          .required("k", ColumnType.string())
          .build();

  /** Rows with ids 0.. and the given keys; names {@code <key>/<key>+<first id>.lines}. */
  private static final class Keyed implements Source, KeyedSource {
    final List<String> keys;
    final List<String> askedExisting = new ArrayList<>();
    final Map<String, Long> lastOfKey = new HashMap<>();
    boolean skipExisting = true;
    long finishBefore = -1;
    FileControl files;
    int next;
    int current = -1;

    Keyed(String... keys) {
      this.keys = List.of(keys);
    }

    @Override
    public String name() {
      return "keyed";
    }

    @Override
    public Schema open() {
      return SCHEMA;
    }

    @Override
    public boolean next(MutableRow row) {
      if (next == finishBefore) {
        files.finishFiles(Set.of("a"));
      }
      if (next == keys.size()) {
        return false;
      }
      current = next++;
      row.setLong(0, current);
      row.setString(1, keys.get(current));
      lastOfKey.put(keys.get(current), (long) current);
      return true;
    }

    @Override
    public Position position() {
      int at = current;
      return () -> "id " + at;
    }

    @Override
    public String fileKey() {
      return keys.get(current);
    }

    @Override
    public Position lastPosition(String key) {
      long at = lastOfKey.get(key);
      return () -> "id " + at;
    }

    @Override
    public String fileName(String partitionPath) {
      return fileKey() + "/" + fileKey() + "+" + current + ".lines";
    }

    /** Skips the rest of the key's records up to the next record of another key. */
    @Override
    public boolean alreadyWritten(String name, Sink sink) {
      askedExisting.add(name);
      if (!skipExisting) {
        return false;
      }
      String key = fileKey();
      while (next < keys.size() && keys.get(next).equals(key)) {
        next++;
      }
      return true;
    }

    @Override
    public void keyDurable(String key) {}

    @Override
    public void bindFiles(FileControl control) {
      this.files = control;
    }

    @Override
    public long bytesRead() {
      return 0;
    }

    @Override
    public void close() {}
  }

  private static IngestReport run(Path dir, Keyed source, long maxRows) {
    return ParquetIngest.builder()
        .source(source)
        .encoder(new LinesEncoderProvider())
        .maxRowsPerFile(maxRows)
        .filePrefix("t")
        .outputDirectory(dir)
        .run();
  }

  private static String lines(Path p) throws Exception {
    return Files.readString(p).replace('\n', ' ').trim();
  }

  @Test
  void eachKeyHasItsOwnFilesNamedByTheSource(@TempDir Path dir) throws Exception {
    IngestReport r = run(dir, new Keyed("a", "b", "a", "b", "a"), 2);
    assertThat(r.succeeded()).as(r.error()).isTrue();
    assertThat(lines(dir.resolve("a/a+0.lines"))).isEqualTo("0 2");
    assertThat(lines(dir.resolve("a/a+4.lines"))).isEqualTo("4");
    assertThat(lines(dir.resolve("b/b+1.lines"))).isEqualTo("1 3");
    // the file's last position is its key's last record, not the lane's
    assertThat(r.files())
        .anySatisfy(
            f -> {
              assertThat(f.location()).endsWith("b+1.lines");
              assertThat(f.lastPosition()).isEqualTo("id 3");
            });
  }

  @Test
  void aNameTheSinkHoldsIsSkippedByTheSourceOrWrittenUnderTheRunsName(@TempDir Path dir)
      throws Exception {
    Files.createDirectories(dir.resolve("a"));
    Files.writeString(dir.resolve("a/a+0.lines"), "0\n1\n");
    Keyed skipping = new Keyed("a", "a", "b", "a");
    IngestReport r = run(dir, skipping, 10);
    assertThat(r.succeeded()).as(r.error()).isTrue();
    assertThat(skipping.askedExisting).containsExactly("a/a+0.lines");
    assertThat(r.rowsFiltered()).as("the record that made the name").isEqualTo(1);
    assertThat(lines(dir.resolve("a/a+0.lines"))).isEqualTo("0 1");
    assertThat(lines(dir.resolve("a/a+3.lines"))).isEqualTo("3");
    assertThat(lines(dir.resolve("b/b+2.lines"))).isEqualTo("2");

    Path other = Files.createDirectories(dir.resolve("other"));
    Files.createDirectories(other.resolve("a"));
    Files.writeString(other.resolve("a/a+0.lines"), "0\n");
    Keyed writing = new Keyed("a", "a");
    writing.skipExisting = false;
    IngestReport again = run(other, writing, 10);
    assertThat(again.succeeded()).as(again.error()).isTrue();
    assertThat(again.rowsWritten()).isEqualTo(2);
    assertThat(lines(other.resolve("a/a+0.lines"))).isEqualTo("0");
    assertThat(lines(other.resolve("t-00000.parquet"))).isEqualTo("0 1");
  }

  @Test
  void theSourceFinishesTheFilesOfAKeyFromInsideARead(@TempDir Path dir) throws Exception {
    Keyed source = new Keyed("a", "b", "a", "a", "b");
    source.finishBefore = 3;
    IngestReport r = run(dir, source, 100);
    assertThat(r.succeeded()).as(r.error()).isTrue();
    assertThat(lines(dir.resolve("a/a+0.lines"))).isEqualTo("0 2");
    assertThat(lines(dir.resolve("a/a+3.lines"))).isEqualTo("3");
    assertThat(lines(dir.resolve("b/b+1.lines"))).isEqualTo("1 4");
  }

  @Test
  void theLocalSinkReadsACommittedFileBack(@TempDir Path dir) throws Exception {
    Sink sink = dev.parquetingest.Sinks.localDirectory(dir);
    dev.parquetingest.spi.StagedOutput out = sink.create("x/f.bin");
    out.stream().write("0123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    assertThat(sink.listable()).isTrue();
    assertThat(sink.exists("x/f.bin")).as("staged is not committed").isFalse();
    out.commit();
    assertThat(sink.size("x/f.bin")).isEqualTo(10);
    assertThat(new String(sink.readTail("x/f.bin", 4), "US-ASCII")).isEqualTo("6789");
    assertThat(new String(sink.readTail("x/f.bin", 40), "US-ASCII")).isEqualTo("0123456789");
  }
}
