package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.v2store.raft.transport.TransportConfig;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --max-request-bytes raised past what one peer message carries (512 MiB): a write is one Raft
 * entry, sent whole to every follower, so a 540 MB value was appended by the leader, refused by
 * each follower as too long a frame (the connection closed at every try), and cost an election
 * before its writer got 500 "request timed out". It is refused at once instead, as any body over
 * the limit is.
 */
class PeerMessageBodyLimitTest {
  @TempDir
  Path tmp;

  @Test
  void aBodyNoPeerMessageCouldCarryIsRefusedUpFront() throws Exception {
    long limit = EtcdMember.bodyLimit(Integer.MAX_VALUE, TransportConfig.defaults());
    assertTrue(limit < TransportConfig.defaults().maxFrameBytes(), "limit " + limit);
    assertEquals(100, EtcdMember.bodyLimit(100, TransportConfig.defaults()));
    try (ServerProcess member = new ServerProcess(tmp.resolve("m.etcd"),
        List.of("--max-request-bytes", "2147483647"))) {
      member.start();
      member.awaitHealthy();
      URI url = URI.create(member.clientUrl());
      // curl sends Expect: 100-continue before a large body: the answer comes before any of it
      String head = "PUT /v2/keys/big HTTP/1.1\r\nHost: x\r\n"
          + "Content-Type: application/x-www-form-urlencoded\r\n"
          + "Content-Length: 540000006\r\nExpect: 100-continue\r\n\r\n";
      try (Socket socket = new Socket(url.getHost(), url.getPort())) {
        socket.setSoTimeout(30_000);
        OutputStream out = socket.getOutputStream();
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        StringBuilder status = new StringBuilder();
        for (int c; (c = in.read()) >= 0 && c != '\n'; ) status.append((char) c);
        assertEquals("HTTP/1.1 413 Request Entity Too Large", status.toString().strip());
      }
      assertTrue(member.log().contains("--max-request-bytes 2147483647 is more than one peer"
          + " message carries; request bodies are limited to " + limit + " bytes"), member.log());
    }
  }
}
