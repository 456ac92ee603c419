package io.v2store.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An authoritative name server for tests, on UDP: SRV and A records from maps that a test may
 * change while it runs; AAAA questions for a known name get an empty answer, anything else
 * NXDOMAIN. Enough for Go's resolver, glibc's and the JDK's DNS provider.
 */
final class TestNameServer implements AutoCloseable {
    private static final int TYPE_A = 1;
    private static final int TYPE_SRV = 33;

    record Srv(int port, String target) {}

    /** Absolute names ("_etcd-server._tcp.example.test.") to records. */
    final Map<String, List<Srv>> srv = new ConcurrentHashMap<>();
    final Map<String, String> a = new ConcurrentHashMap<>();
    private final DatagramSocket socket;
    private final Thread thread;

    TestNameServer(InetSocketAddress address) throws SocketException {
        socket = new DatagramSocket(address);
        thread = new Thread(this::serve, "test-dns");
        thread.setDaemon(true);
        thread.start();
    }

    private void serve() {
        byte[] buffer = new byte[512];
        while (!socket.isClosed()) {
            DatagramPacket query = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(query);
                byte[] answer = answer(ByteBuffer.wrap(query.getData(), 0, query.getLength()));
                socket.send(new DatagramPacket(answer, answer.length, query.getSocketAddress()));
            } catch (IOException | RuntimeException e) {
                if (socket.isClosed()) return;
                // a malformed query gets no answer, as from a real server that drops it
            }
        }
    }

    private byte[] answer(ByteBuffer query) throws IOException {
        short id = query.getShort(0);
        int pos = 12;
        StringBuilder name = new StringBuilder();
        while (query.get(pos) != 0) {
            int length = query.get(pos) & 0xff;
            name.append(new String(query.array(), query.arrayOffset() + pos + 1, length, StandardCharsets.US_ASCII))
                .append('.');
            pos += 1 + length;
        }
        int type = query.getShort(pos + 1) & 0xffff;
        int questionEnd = pos + 5;
        String asked = name.toString().toLowerCase(Locale.ROOT);

        ByteArrayOutputStream answers = new ByteArrayOutputStream();
        int count = 0;
        if (type == TYPE_SRV) {
            for (Srv record : srv.getOrDefault(asked, List.of())) {
                byte[] target = encode(record.target());
                ByteBuffer data = ByteBuffer.allocate(6 + target.length);
                data.putShort((short) 0).putShort((short) 0).putShort((short) record.port()).put(target);
                answers.write(resource(TYPE_SRV, data.array()));
                count++;
            }
        } else if (type == TYPE_A && a.containsKey(asked)) {
            answers.write(resource(TYPE_A, InetAddress.getByName(a.get(asked)).getAddress()));
            count++;
        }
        boolean known = srv.containsKey(asked) || a.containsKey(asked);
        ByteBuffer out = ByteBuffer.allocate(questionEnd + answers.size());
        // an answer (QR), authoritative (AA); NXDOMAIN for a name we do not hold
        out.putShort(id).putShort((short) (0x8400 | (known ? 0 : 3))).putShort((short) 1)
            .putShort((short) count).putShort((short) 0).putShort((short) 0);
        out.put(query.array(), query.arrayOffset() + 12, questionEnd - 12);
        out.put(answers.toByteArray());
        return out.array();
    }

    /** A resource record for the question's name (a pointer to offset 12), TTL 0. */
    private static byte[] resource(int type, byte[] data) {
        ByteBuffer r = ByteBuffer.allocate(12 + data.length);
        r.putShort((short) 0xc00c).putShort((short) type).putShort((short) 1).putInt(0)
            .putShort((short) data.length).put(data);
        return r.array();
    }

    private static byte[] encode(String name) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String label : name.replaceAll("\\.$", "").split("\\.")) {
            out.write(label.length());
            out.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
        }
        out.write(0);
        return out.toByteArray();
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        thread.join(5_000);
    }
}
