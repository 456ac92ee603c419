package io.v2store.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Put runs against an endpoint that does not answer as a v2 server does. */
class LoadFaultsTest {
  private final Runner runner = new Runner(new PrintStream(new ByteArrayOutputStream(), true));

  /** A server on a raw socket: each accepted connection is handed to the given code. */
  interface Conn {
    void serve(Socket s) throws IOException, InterruptedException;
  }

  private RunResult put(Conn conn, String... flags) throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread accept = new Thread(() -> {
        try {
          while (true) {
            Socket s = server.accept();
            Thread t = new Thread(() -> {
              try (s) {
                conn.serve(s);
              } catch (IOException | InterruptedException e) {
                // the client went away
              }
            });
            t.setDaemon(true);
            t.start();
          }
        } catch (IOException closed) {
          // the test is over
        }
      });
      accept.setDaemon(true);
      accept.start();
      String[] args = new String[flags.length + 4];
      System.arraycopy(new String[] {"put", "--endpoints", "127.0.0.1:" + server.getLocalPort(),
          "--no-progress"}, 0, args, 0, 4);
      System.arraycopy(flags, 0, args, 4, flags.length);
      BenchConfig config = assertInstanceOf(BenchArgs.Single.class, BenchArgs.parse(args))
          .config();
      return assertTimeoutPreemptively(Duration.ofSeconds(45), () -> runner.run(config));
    }
  }

  /** Connections the server drops during the warm-up are missing from the measured run. */
  @Test
  void connectionsLostDuringTheWarmupAreErrors() throws Exception {
    RunResult r = put(s -> { }, "--conns", "3", "--duration", "300ms", "--warmup", "200ms");
    assertEquals(0, r.requests(), r.toText());
    assertEquals(3, r.errors(), r.toText());
    assertEquals(List.of(new ErrorKinds.Kind(ErrorKinds.CLOSED, 3)), r.errorKinds(),
        r.toText());
  }

  /** An answer the client cannot read ends its connection, and that is an error too. */
  @Test
  void anAnswerThatCannotBeReadIsAnError() throws Exception {
    // what Go's server says to plain HTTP on a TLS port
    RunResult r = put(s -> {
      s.getInputStream().read(new byte[4096]);
      String goAnswer = "HTTP/1.0 400 Bad Request\r\n\r\n"
          + "Client sent an HTTP request to an HTTPS server.\n";
      s.getOutputStream().write(goAnswer.getBytes(StandardCharsets.US_ASCII));
    }, "--conns", "2", "--duration", "300ms", "--warmup", "0s");
    assertEquals(0, r.requests(), r.toText());
    assertEquals(2, r.errors(), r.toText());
    assertTrue(r.errorKinds().get(0).kind().contains("answer 400 without Content-Length"),
        r.toText());
  }

  /** A server that stops answering ends a run by count after the answer timeout, as errors. */
  @Test
  void aServerThatNeverAnswersDoesNotHoldARunByCountForever() throws Exception {
    RunResult r = put(s -> {
      s.getInputStream().read(new byte[4096]);
      Thread.sleep(60_000);
    }, "--conns", "2", "--requests", "5", "--warmup", "0s", "--answer-timeout", "1s");
    assertEquals(0, r.requests(), r.toText());
    assertEquals(List.of(new ErrorKinds.Kind("no answer within 1 s", 2)), r.errorKinds(),
        r.toText());
  }
}
