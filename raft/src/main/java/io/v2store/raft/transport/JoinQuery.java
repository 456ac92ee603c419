package io.v2store.raft.transport;

import io.v2store.raft.transport.pb.Frame;
import io.v2store.raft.transport.pb.Hello;
import io.v2store.raft.transport.pb.HelloAccepted;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * How a member started with --initial-cluster-state existing learns the cluster it joins: it
 * asks a running member on the peer port (etcd asks the same over HTTP). One short blocking
 * exchange, before any Raft traffic, so a plain socket is enough.
 */
public final class JoinQuery {
  /** The cluster's id and the server's opaque description of its members. */
  public record Answer(long clusterId, long answeredBy, byte[] clusterInfo) {}

  private static final int MAX_ANSWER_BYTES = 16 << 20;

  private JoinQuery() {}

  /** Asks each URL in turn; the first answer wins. */
  public static Answer ask(List<URI> peerUrls, int timeoutMillis) throws IOException {
    return ask(peerUrls, timeoutMillis, PeerTls.none());
  }

  /** As above; an https:// peer is asked over TLS, verified as the transport verifies it. */
  public static Answer ask(List<URI> peerUrls, int timeoutMillis, PeerTls tls)
      throws IOException {
    IOException last = new IOException("no peer URL to ask");
    for (URI url : peerUrls) {
      try {
        return askOne(url, timeoutMillis, tls);
      } catch (IOException e) {
        last = new IOException("cannot ask " + url + " about the cluster: " + e.getMessage(), e);
      }
    }
    throw last;
  }

  private static Answer askOne(URI url, int timeoutMillis, PeerTls tls) throws IOException {
    try (Socket socket = connect(url, timeoutMillis, tls)) {
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      Frame query = Frame.newBuilder().setHello(Hello.getDefaultInstance()).build();
      out.writeInt(query.getSerializedSize());
      query.writeTo(out);
      out.flush();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      int length = in.readInt();
      if (length < 0 || length > MAX_ANSWER_BYTES) throw new IOException("bad frame " + length);
      byte[] bytes = new byte[length];
      in.readFully(bytes);
      Frame answer = Frame.parseFrom(bytes);
      if (answer.getBodyCase() == Frame.BodyCase.REFUSED) {
        throw new IOException("refused: " + answer.getRefused().getReason());
      }
      if (answer.getBodyCase() != Frame.BodyCase.ACCEPTED
          || answer.getAccepted().getClusterId() == 0) {
        throw new IOException("unexpected answer " + answer.getBodyCase());
      }
      HelloAccepted a = answer.getAccepted();
      return new Answer(a.getClusterId(), a.getMemberId(), a.getClusterInfo().toByteArray());
    }
  }

  private static Socket connect(URI url, int timeoutMillis, PeerTls tls) throws IOException {
    Socket plain = new Socket();
    try {
      plain.connect(new InetSocketAddress(url.getHost(), url.getPort()), timeoutMillis);
      plain.setSoTimeout(timeoutMillis);
      if (!"https".equals(url.getScheme())) {
        return plain;
      }
      SSLSocket secure = (SSLSocket) tls.jdkClientContext().getSocketFactory()
          .createSocket(plain, tls.nameToVerify(url.getHost()), url.getPort(), true);
      SSLParameters parameters = secure.getSSLParameters();
      parameters.setEndpointIdentificationAlgorithm(tls.verifyPeers() ? "HTTPS" : null);
      secure.setSSLParameters(parameters);
      secure.startHandshake();
      return secure;
    } catch (IOException | RuntimeException e) {
      plain.close();
      throw e;
    }
  }
}
