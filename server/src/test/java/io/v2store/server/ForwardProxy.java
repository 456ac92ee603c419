package io.v2store.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An HTTP forward proxy for tests, on 127.0.0.1: takes absolute-form requests ("GET
 * http://127.0.0.1:2379/v2/keys/x HTTP/1.1"), sends each to its target in origin form on a
 * connection of its own, streams the answer back and closes. Remembers the request lines it saw.
 */
final class ForwardProxy implements AutoCloseable {
  final List<String> requestLines = new CopyOnWriteArrayList<>();
  private final ServerSocket server;

  ForwardProxy() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    Thread acceptor = new Thread(this::accept, "forward-proxy");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  String address() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Thread relay = new Thread(() -> relay(client), "forward-proxy-relay");
        relay.setDaemon(true);
        relay.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void relay(Socket client) {
    try (client) {
      InputStream in = client.getInputStream();
      String requestLine = line(in);
      requestLines.add(requestLine);
      String[] parts = requestLine.split(" ");
      URI target = URI.create(parts[1]);
      StringBuilder head = new StringBuilder(parts[0] + " " + target.getRawPath()
          + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery()) + " " + parts[2] + "\r\n");
      int length = 0;
      for (String header = line(in); !header.isEmpty(); header = line(in)) {
        String name = header.substring(0, header.indexOf(':')).trim().toLowerCase(Locale.ROOT);
        if (name.equals("content-length")) length = Integer.parseInt(header.substring(header.indexOf(':') + 1).trim());
        if (!name.equals("connection") && !name.equals("proxy-connection")) head.append(header).append("\r\n");
      }
      head.append("Connection: close\r\n\r\n");
      byte[] body = in.readNBytes(length);
      try (Socket upstream = new Socket(target.getHost(), target.getPort())) {
        OutputStream out = upstream.getOutputStream();
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
        upstream.getInputStream().transferTo(client.getOutputStream());
      }
    } catch (IOException | RuntimeException e) {
      // the client or the target went away: nothing to answer
    }
  }

  /** One line of an HTTP head, without its CRLF (ISO-8859-1, as HTTP heads are). */
  static String line(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b == -1) throw new IOException("closed mid-line");
      if (b != '\r') out.write(b);
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
