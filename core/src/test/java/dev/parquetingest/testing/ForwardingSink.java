package dev.parquetingest.testing;

import dev.parquetingest.spi.Sink;
import dev.parquetingest.spi.StagedOutput;
import java.io.OutputStream;
import java.util.List;
import java.util.function.Predicate;

/**
 * A sink that passes every call to another one, for test sinks that watch or change a few of them
 * (a disk that fills, a recording of commits and deletes): override {@link #staged} to wrap each
 * staged output (with a {@link ForwardingStagedOutput}), and the sink's own methods as needed. Its
 * sink counters are none. As thread-safe as the sink it wraps and the overrides.
 */
public class ForwardingSink implements Sink {
  /** The sink every call goes to. */
  protected final Sink sink;

  public ForwardingSink(Sink sink) {
    this.sink = sink;
  }

  /** The output the wrapped sink staged for {@code name}, as this sink gives it out; as is here. */
  protected StagedOutput staged(String name, StagedOutput out) {
    return out;
  }

  @Override
  public String describe() {
    return sink.describe();
  }

  @Override
  public StagedOutput create(String name) {
    return create(name, false);
  }

  @Override
  public StagedOutput create(String name, boolean replace) {
    return staged(name, sink.create(name, replace));
  }

  @Override
  public boolean exists(String name) {
    return sink.exists(name);
  }

  @Override
  public boolean listable() {
    return sink.listable();
  }

  @Override
  public List<String> list(Predicate<String> fileName) {
    return sink.list(fileName);
  }

  @Override
  public void delete(String name) {
    sink.delete(name);
  }

  @Override
  public long size(String name) {
    return sink.size(name);
  }

  @Override
  public byte[] readTail(String name, int length) {
    return sink.readTail(name, length);
  }

  /** A staged output that passes every call to another one; override what a test watches. */
  public static class ForwardingStagedOutput implements StagedOutput {
    /** The output every call goes to. */
    protected final StagedOutput out;

    public ForwardingStagedOutput(StagedOutput out) {
      this.out = out;
    }

    @Override
    public OutputStream stream() {
      return out.stream();
    }

    @Override
    public long bufferedBytes() {
      return out.bufferedBytes();
    }

    @Override
    public String location() {
      return out.location();
    }

    @Override
    public void commit() {
      out.commit();
    }

    @Override
    public void abort() {
      out.abort();
    }
  }
}
