package io.v2store.storage.store;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A buffered stream for one thread. {@link java.io.BufferedOutputStream} takes its monitor on
 * every byte, and a snapshot writes a dozen single bytes per key (flags, varints) through it:
 * a lock per byte on the apply thread, which holds the key space's read lock meanwhile.
 */
final class UnsyncBufferedOutput extends OutputStream {
  private final OutputStream out;
  private final byte[] buf;
  private int count;

  UnsyncBufferedOutput(OutputStream out, int size) {
    this.out = out;
    this.buf = new byte[size];
  }

  @Override
  public void write(int b) throws IOException {
    if (count == buf.length) {
      drain();
    }
    buf[count++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (len >= buf.length) {
      drain();
      out.write(b, off, len);
      return;
    }
    if (len > buf.length - count) {
      drain();
    }
    System.arraycopy(b, off, buf, count, len);
    count += len;
  }

  /** Writes what is buffered and flushes the stream below. */
  @Override
  public void flush() throws IOException {
    drain();
    out.flush();
  }

  /** Flushes; never closes the stream below (it belongs to the caller). */
  @Override
  public void close() throws IOException {
    flush();
  }

  private void drain() throws IOException {
    if (count > 0) {
      out.write(buf, 0, count);
      count = 0;
    }
  }
}
