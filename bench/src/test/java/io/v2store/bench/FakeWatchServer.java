package io.v2store.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough of a v2 server for a watch run, on a raw socket so that a test decides what each
 * write's answer is: one key, its writes in a history, one-shot watchers that park until a write
 * at or past their waitIndex (waitIndex 0, or none: the next write, as etcd). {@link #onWrite}
 * says, per sequence number of the writer, how the write goes.
 */
final class FakeWatchServer implements AutoCloseable {
  /** What happens to the writer's write with a given sequence number. */
  enum Write {
    /** 201, and every parked watcher has its event. */
    OK,
    /** 500, not written. */
    FAIL,
    /** Written (201), but no watcher is told, parked or later. */
    LOST,
    /** The writer's connection is closed without an answer, not written. */
    CLOSE,
    /** Never answered, the connection kept open. */
    HANG,
    /** Written (201); one parked watcher has the event, and again on its next poll; the other
     * watchers are never told (a broken server: one duplicate, the rest lost). */
    DUPLICATE,
    /** Written (201); the parked watchers' polls end with 200 and no event, as a stopping
     * server's may; a watcher that re-arms from where it was finds the event. */
    END_POLLS
  }

  interface Script {
    Write onWrite(int seq);
  }

  private static final Pattern WAIT_INDEX = Pattern.compile("waitIndex=(\\d+)");
  private static final Pattern VALUE = Pattern.compile("value=(-?\\d+)");
  private final ServerSocket server;
  private final Script script;
  private final List<Socket> sockets = new ArrayList<>();
  /** index - FIRST_INDEX: the value written, or null for a write no watcher may see. */
  private final List<String> history = new ArrayList<>();
  private final List<Parked> parked = new ArrayList<>();
  /** An event the next watch request has again, whatever its waitIndex (Write.DUPLICATE). */
  private String replay;
  private static final long FIRST_INDEX = 10;

  private record Parked(OutputStream out, long waitIndex) {}

  FakeWatchServer(Script script) throws IOException {
    this.script = script;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread accept = new Thread(this::accept, "fake-watch-accept");
    accept.setDaemon(true);
    accept.start();
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  private void accept() {
    try {
      while (true) {
        Socket s = server.accept();
        synchronized (this) {
          sockets.add(s);
        }
        Thread t = new Thread(() -> serve(s), "fake-watch-conn");
        t.setDaemon(true);
        t.start();
      }
    } catch (IOException closed) {
      // the server is closed
    }
  }

  private void serve(Socket s) {
    try (s) {
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      while (true) {
        String head = readHead(in);
        if (head == null) return;
        String requestLine = head.substring(0, head.indexOf('\r'));
        Matcher length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
        String body = length.find() ? new String(in.readNBytes(Integer.parseInt(length.group(1))),
            StandardCharsets.US_ASCII) : "";
        if (requestLine.startsWith("PUT ")) {
          if (!put(body, out)) return;
        } else {
          Matcher w = WAIT_INDEX.matcher(requestLine);
          watch(w.find() ? Long.parseLong(w.group(1)) : 0, out);
        }
      }
    } catch (IOException e) {
      // the client went away
    }
  }

  /** False when the connection is to be closed. */
  private synchronized boolean put(String form, OutputStream out) throws IOException {
    Matcher v = VALUE.matcher(form);
    String value = v.find() ? v.group(1) : "";
    int seq = value.startsWith("-") ? -1 : Integer.parseInt(value);
    Write what = seq < 0 ? Write.OK : script.onWrite(seq);
    if (what == Write.CLOSE) return false;
    if (what == Write.HANG) return true;
    if (what == Write.FAIL) {
      answer(out, "500 Internal Server Error", "{\"errorCode\":300,\"message\":\"Raft Internal"
          + " Error\",\"cause\":\"etcdserver: request timed out\",\"index\":0}");
      return true;
    }
    history.add(what == Write.LOST ? null : value);
    long index = FIRST_INDEX + history.size() - 1;
    answer(out, "201 Created", event(index, value), "X-Etcd-Index: " + index);
    List<Parked> waiting = new ArrayList<>(parked);
    parked.clear();
    if (what == Write.DUPLICATE && !waiting.isEmpty()) {
      Parked first = waiting.remove(0);
      endChunked(first.out(), event(index, value));
      replay = event(index, value);
      parked.addAll(waiting);
      return true;
    }
    for (Parked p : waiting) {
      if (what == Write.END_POLLS) {
        endChunked(p.out(), "");
      } else if (what == Write.LOST || p.waitIndex() > index) {
        parked.add(p);
      } else {
        endChunked(p.out(), event(index, value));
      }
    }
    return true;
  }

  private synchronized void watch(long waitIndex, OutputStream out) throws IOException {
    if (replay != null) {
      answer(out, "200 OK", replay);
      replay = null;
      return;
    }
    long current = FIRST_INDEX + history.size() - 1;
    long from = waitIndex == 0 ? current + 1 : waitIndex;
    for (long i = Math.max(from, FIRST_INDEX); i <= current; i++) {
      String value = history.get((int) (i - FIRST_INDEX));
      if (value != null) {
        answer(out, "200 OK", event(i, value), "X-Etcd-Index: " + current);
        return;
      }
    }
    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Etcd-Index: " + current
        + "\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    parked.add(new Parked(out, from));
  }

  private static String event(long index, String value) {
    return String.format(Locale.ROOT, "{\"action\":\"set\",\"node\":{\"key\":\"/k\","
        + "\"value\":\"%s\",\"modifiedIndex\":%d,\"createdIndex\":%d}}\n", value, index, index);
  }

  private static void endChunked(OutputStream out, String body) {
    try {
      byte[] b = body.getBytes(StandardCharsets.US_ASCII);
      if (b.length > 0) {
        out.write((Integer.toHexString(b.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(b);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
      }
      out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
    } catch (IOException e) {
      // that watcher went away
    }
  }

  private static void answer(OutputStream out, String status, String body, String... headers)
      throws IOException {
    byte[] b = body.getBytes(StandardCharsets.US_ASCII);
    StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status)
        .append("\r\nContent-Type: application/json\r\nContent-Length: ").append(b.length)
        .append("\r\n");
    for (String h : headers) head.append(h).append("\r\n");
    out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
    out.write(b);
    out.flush();
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int c = in.read();
      if (c < 0) return null;
      head.write(c);
      matched = (c == "\r\n\r\n".charAt(matched)) ? matched + 1 : (c == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.US_ASCII);
  }

  @Override
  public synchronized void close() throws IOException {
    server.close();
    for (Socket s : sockets) s.close();
  }
}
