package dev.parquetingest.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parquetingest.common.IngestException;
import dev.parquetingest.spi.Sink;
import dev.parquetingest.spi.StagedOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Sink} keeps, run by each sink's module against a real target: a staged
 * file is invisible until {@link StagedOutput#commit()}, then visible whole under its name; {@link
 * StagedOutput#abort()} leaves no trace and is idempotent, and a no-op after a commit; a commit
 * never replaces a committed file; names may have partition directories.
 */
public abstract class SinkContractTest {
  private Sink sink;

  /** A new sink over an empty target, for one test. */
  protected abstract Sink newSink();

  /** The bytes committed under {@code name} in {@code sink}'s target, or null if none. */
  protected abstract byte[] committed(Sink sink, String name) throws IOException;

  private Sink sink() {
    if (sink == null) {
      sink = newSink();
    }
    return sink;
  }

  @AfterEach
  void closeSink() {
    if (sink != null) {
      sink.close();
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static StagedOutput staged(Sink sink, String name, String content) throws IOException {
    StagedOutput out = sink.create(name);
    out.stream().write(bytes(content));
    return out;
  }

  @Test
  void aCommittedFileIsVisibleWholeUnderItsNameAndNotBefore() throws IOException {
    StagedOutput out = staged(sink(), "f-00000.parquet", "hello, sink");
    assertThat(out.bufferedBytes()).isNotNegative();
    assertThat(sink().exists("f-00000.parquet")).isFalse();
    assertThat(committed(sink(), "f-00000.parquet")).isNull();

    out.commit();

    assertThat(sink().exists("f-00000.parquet")).isTrue();
    assertThat(committed(sink(), "f-00000.parquet")).isEqualTo(bytes("hello, sink"));
    assertThat(out.location()).contains("f-00000.parquet");
    assertThat(sink().describe()).isNotBlank();
  }

  @Test
  void anEmptyFileCanBeCommitted() throws IOException {
    StagedOutput out = sink().create("empty.parquet");
    out.commit();
    assertThat(committed(sink(), "empty.parquet")).isEmpty();
  }

  @Test
  void abortLeavesNoTraceAndIsIdempotent() throws IOException {
    StagedOutput out = staged(sink(), "gone.parquet", "never visible");
    out.abort();
    out.abort();
    assertThat(sink().exists("gone.parquet")).isFalse();
    assertThat(committed(sink(), "gone.parquet")).isNull();
  }

  @Test
  void abortAfterCommitIsANoOp() throws IOException {
    StagedOutput out = staged(sink(), "kept.parquet", "kept");
    out.commit();
    out.abort();
    assertThat(committed(sink(), "kept.parquet")).isEqualTo(bytes("kept"));
  }

  @Test
  void aCommitNeverReplacesACommittedFile() throws IOException {
    StagedOutput first = staged(sink(), "once.parquet", "first");
    StagedOutput second = staged(sink(), "once.parquet", "second");
    first.commit();
    assertThatThrownBy(second::commit).isInstanceOf(IngestException.class);
    second.abort();
    assertThat(committed(sink(), "once.parquet")).isEqualTo(bytes("first"));
  }

  @Test
  void namesMayHavePartitionDirectories() throws IOException {
    StagedOutput out = staged(sink(), "k=a/dt=2026-12-01/p-00000.parquet", "partitioned");
    out.commit();
    assertThat(sink().exists("k=a/dt=2026-12-01/p-00000.parquet")).isTrue();
    assertThat(committed(sink(), "k=a/dt=2026-12-01/p-00000.parquet"))
        .isEqualTo(bytes("partitioned"));
  }

  // ---- what a rerun's checks, overwrite and resume need: every sink here can list

  private void commit(String name, String content) throws IOException {
    staged(sink(), name, content).commit();
  }

  @Test
  void listNamesEveryCommittedFileWithItsDirectoriesFilteredByItsOwnName() throws IOException {
    assertThat(sink().listable()).isTrue();
    assertThat(sink().list(n -> true)).isEmpty();
    commit("p-00000.parquet", "a");
    commit("k=a/p-00001.parquet", "b");
    commit("k=b/dt=1/p-00002.parquet", "c");
    commit("_p.manifest.jsonl", "m");
    commit("q-00000.parquet", "other prefix");

    assertThat(sink().list(n -> n.startsWith("p-")))
        .containsExactlyInAnyOrder(
            "p-00000.parquet", "k=a/p-00001.parquet", "k=b/dt=1/p-00002.parquet");
    assertThat(sink().list(n -> n.startsWith("_p."))).containsExactly("_p.manifest.jsonl");
    assertThat(sink().list(n -> n.startsWith("k="))).as("directories are not files").isEmpty();
  }

  @Test
  void sizeAndReadTailSeeTheCommittedBytes() throws IOException {
    commit("d/t.parquet", "0123456789");
    assertThat(sink().size("d/t.parquet")).isEqualTo(10);
    assertThat(sink().readTail("d/t.parquet", 4)).isEqualTo(bytes("6789"));
    assertThat(sink().readTail("d/t.parquet", 10)).isEqualTo(bytes("0123456789"));
    assertThat(sink().readTail("d/t.parquet", 64)).as("longer than the file").hasSize(10);
    assertThatThrownBy(() -> sink().size("missing.parquet"))
        .isInstanceOf(IngestException.class)
        .hasMessageContaining("missing.parquet");
    assertThatThrownBy(() -> sink().readTail("missing.parquet", 8))
        .isInstanceOf(IngestException.class)
        .hasMessageContaining("missing.parquet");
  }

  @Test
  void deleteRemovesACommittedFileAndAMissingOneIsNoError() throws IOException {
    commit("k=a/gone.parquet", "x");
    commit("stays.parquet", "y");
    sink().delete("k=a/gone.parquet");
    sink().delete("never-there.parquet");
    assertThat(sink().exists("k=a/gone.parquet")).isFalse();
    assertThat(committed(sink(), "k=a/gone.parquet")).isNull();
    assertThat(sink().list(n -> true)).containsExactly("stays.parquet");
  }

  @Test
  void aFileCreatedToReplaceSwapsTheCommittedOneAtItsCommitOnly() throws IOException {
    commit("r.parquet", "old");
    StagedOutput out = staged(sink(), "r.parquet", "");
    out.abort();
    StagedOutput replacing = sink().create("r.parquet", true);
    replacing.stream().write(bytes("new"));
    assertThat(committed(sink(), "r.parquet")).as("before the commit").isEqualTo(bytes("old"));
    replacing.commit();
    assertThat(committed(sink(), "r.parquet")).isEqualTo(bytes("new"));
    // replacing a name nothing holds yet is a plain create
    StagedOutput fresh = sink().create("fresh.parquet", true);
    fresh.stream().write(bytes("f"));
    fresh.commit();
    assertThat(committed(sink(), "fresh.parquet")).isEqualTo(bytes("f"));
  }
}
