package io.v2store.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Raw HTTP/1.1 exchanges on one connection, described so that two servers' can be compared. */
final class RawExchanges {
  private RawExchanges() {}

  /**
   * Sends each request on one connection after the previous answer, and describes each answer:
   * status line, the names of its headers (sorted) other than Date, and other than CORS unless
   * {@code withCors} (etcd's proxy repeats the member's CORS headers), the values of
   * Content-Length, Content-Type and Connection, the body; and whether the server then closed.
   */
  static List<String> converse(String url, List<String> requests, boolean withCors)
      throws IOException {
    URI u = URI.create(url);
    List<String> answers = new ArrayList<>();
    try (Socket socket = new Socket(u.getHost(), u.getPort())) {
      socket.setSoTimeout(10_000);
      InputStream in = socket.getInputStream();
      for (String request : requests) {
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        answers.add(readAnswer(in, request.startsWith("HEAD"), withCors));
      }
      socket.shutdownOutput();
      answers.add(in.read() == -1 ? "closed" : "more");
    }
    return answers;
  }

  private static String readAnswer(InputStream in, boolean head, boolean withCors)
      throws IOException {
    StringBuilder described = new StringBuilder(ForwardProxy.line(in));
    java.util.TreeSet<String> headers = new java.util.TreeSet<>(); // Go writes them sorted; order is no contract
    int length = 0;
    for (String header = ForwardProxy.line(in); !header.isEmpty(); header = ForwardProxy.line(in)) {
      String name = header.substring(0, header.indexOf(':')).toLowerCase(Locale.ROOT);
      String value = header.substring(header.indexOf(':') + 1).trim();
      if (name.equals("content-length")) {
        length = Integer.parseInt(value);
        headers.add("content-length: " + value);
      } else if (name.equals("connection") || name.equals("content-type")) {
        headers.add(name + ": " + value);
      } else if (!name.equals("date") && (withCors || !name.startsWith("access-control-"))) {
        headers.add(name);
      }
    }
    headers.forEach(h -> described.append(" | ").append(h));
    byte[] body = head ? new byte[0] : in.readNBytes(length);
    return described.append(" | ").append(new String(body, StandardCharsets.UTF_8)).toString();
  }
}
