package io.v2store.server;

import java.io.IOException;
import java.io.InputStream;

/**
 * A buffered stream for one thread. {@link java.io.BufferedInputStream} takes its monitor on
 * every byte, and restoring a snapshot reads a dozen single bytes per key (flags, varints)
 * through it, on the path from a restart to serving.
 */
final class UnsyncBufferedInput extends InputStream {
  private final InputStream in;
  private final byte[] buf;
  private int pos;
  private int limit;

  UnsyncBufferedInput(InputStream in, int size) {
    this.in = in;
    this.buf = new byte[size];
  }

  @Override
  public int read() throws IOException {
    if (pos == limit && !fill()) {
      return -1;
    }
    return buf[pos++] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (pos == limit) {
      if (len >= buf.length) {
        return in.read(b, off, len); // nothing buffered: no point copying twice
      }
      if (!fill()) {
        return -1;
      }
    }
    int n = Math.min(len, limit - pos);
    System.arraycopy(buf, pos, b, off, n);
    pos += n;
    return n;
  }

  @Override
  public int available() throws IOException {
    return (limit - pos) + in.available();
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  private boolean fill() throws IOException {
    int n = in.read(buf, 0, buf.length);
    if (n <= 0) {
      return false;
    }
    pos = 0;
    limit = n;
    return true;
  }
}
