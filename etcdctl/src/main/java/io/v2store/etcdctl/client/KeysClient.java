package io.v2store.etcdctl.client;

import java.util.LinkedHashMap;
import java.util.Map;

/** The keys API requests etcdctl makes, encoded exactly as the Go v2 client encodes them. */
public final class KeysClient {
    private final HttpTransport transport;

    public KeysClient(HttpTransport transport) {
        this.transport = transport;
    }

    /** Options of a PUT; {@code prevExist} is null (ignored), "true" or "false". */
    public record SetOptions(String prevValue, long prevIndex, String prevExist, long ttlSeconds, boolean dir) {
        public static SetOptions plain(long ttlSeconds) {
            return new SetOptions("", 0, null, ttlSeconds, false);
        }
    }

    public KeyResponse get(String key, boolean sorted, boolean recursive, boolean quorum) throws Exception {
        final String query = "quorum=" + quorum + "&recursive=" + recursive + "&sorted=" + sorted;
        return decode(transport.send(V2Request.get(GoUrl.keysPath(key), query)));
    }

    public KeyResponse set(String key, String value, SetOptions opts) throws Exception {
        final Map<String, String> params = new LinkedHashMap<>();
        final Map<String, String> form = new LinkedHashMap<>();
        if (opts.dir()) {
            params.put("dir", "true");
        } else {
            if (!opts.prevValue().isEmpty()) {
                params.put("prevValue", opts.prevValue());
            }
            form.put("value", value);
        }
        if (opts.prevIndex() != 0) {
            params.put("prevIndex", Long.toUnsignedString(opts.prevIndex()));
        }
        if (opts.prevExist() != null) {
            params.put("prevExist", opts.prevExist());
        }
        if (opts.ttlSeconds() > 0) {
            form.put("ttl", Long.toString(opts.ttlSeconds()));
        }
        // As Go's client: a create (prevExist=false: mk, mkdir) is one-shot.
        final V2Request request = V2Request.form("PUT", GoUrl.keysPath(key), GoUrl.encodeValues(params),
                GoUrl.encodeValues(form));
        return decode("false".equals(opts.prevExist()) ? transport.sendOneShot(request) : transport.send(request));
    }

    public KeyResponse createInOrder(String dir, String value, long ttlSeconds) throws Exception {
        final Map<String, String> form = new LinkedHashMap<>();
        form.put("value", value);
        if (ttlSeconds > 0) {
            form.put("ttl", Long.toString(ttlSeconds));
        }
        return decode(transport.send(V2Request.form("POST", GoUrl.keysPath(dir), "", GoUrl.encodeValues(form))));
    }

    public KeyResponse delete(String key, String prevValue, long prevIndex, boolean dir, boolean recursive)
            throws Exception {
        final Map<String, String> params = new LinkedHashMap<>();
        if (!prevValue.isEmpty()) {
            params.put("prevValue", prevValue);
        }
        if (prevIndex != 0) {
            params.put("prevIndex", Long.toUnsignedString(prevIndex));
        }
        if (dir) {
            params.put("dir", "true");
        }
        if (recursive) {
            params.put("recursive", "true");
        }
        // As Go's client: every delete is one-shot.
        return decode(transport.sendOneShot(new V2Request("DELETE", GoUrl.keysPath(key), GoUrl.encodeValues(params),
                null, null, false)));
    }

    /** One long poll; an empty 200 (the server gave up waiting) is retried, as the Go watcher does. */
    public KeyResponse waitNext(String key, boolean recursive, long waitIndex) throws Exception {
        final String query = "recursive=" + recursive + "&wait=true&waitIndex=" + waitIndex;
        while (true) {
            final KeyResponse resp = ResponseDecoder.keyResponse(
                    transport.send(V2Request.get(GoUrl.keysPath(key), query).asLongPoll()));
            if (resp != null) {
                return resp;
            }
        }
    }

    private static KeyResponse decode(V2Reply reply) throws Exception {
        final KeyResponse resp = ResponseDecoder.keyResponse(reply);
        if (resp == null) {
            throw new java.io.IOException("client: response body is empty");
        }
        return resp;
    }
}
