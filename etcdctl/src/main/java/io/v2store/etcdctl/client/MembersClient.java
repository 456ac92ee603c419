package io.v2store.etcdctl.client;

import io.v2store.etcdctl.json.GoJsonWriter;
import io.v2store.etcdctl.json.JsonReader;
import java.util.List;

/** The members API as the Go v2 client uses it, with its status-code expectations and messages. */
public final class MembersClient {
    private static final String PREFIX = "/v2/members";
    private final HttpTransport transport;

    public MembersClient(HttpTransport transport) {
        this.transport = transport;
    }

    public List<Member> list() throws Exception {
        final V2Reply reply = transport.send(V2Request.get(PREFIX, ""));
        expect(reply, 200);
        return ResponseDecoder.members(reply.body());
    }

    public Member leader() throws Exception {
        final V2Reply reply = transport.send(V2Request.get(PREFIX + "/leader", ""));
        expect(reply, 200);
        return ResponseDecoder.member(JsonReader.parse(reply.body()));
    }

    public Member add(String peerUrl) throws Exception {
        PeerUrls.validate(peerUrl);
        final V2Reply reply = transport.send(new V2Request("POST", PREFIX, "", peerUrlsBody(List.of(peerUrl)),
                "application/json", false));
        expect(reply, 201, 409);
        if (reply.status() != 201) {
            throw new MembersException(ResponseDecoder.membersErrorMessage(reply.body()));
        }
        return ResponseDecoder.member(JsonReader.parse(reply.body()));
    }

    public void remove(String id) throws Exception {
        final V2Reply reply = transport.send(new V2Request("DELETE", PREFIX + "/" + GoUrl.escapePath(id), "", null,
                null, false));
        expect(reply, 204, 410);
    }

    public void update(String id, List<String> peerUrls) throws Exception {
        for (String url : peerUrls) {
            PeerUrls.validate(url);
        }
        final V2Reply reply = transport.send(new V2Request("PUT", PREFIX + "/" + GoUrl.escapePath(id), "",
                peerUrlsBody(peerUrls), "application/json", false));
        expect(reply, 204, 404, 409);
        if (reply.status() == 404) {
            throw new MembersException("No such member: " + id);
        }
        if (reply.status() == 409) {
            throw new MembersException(ResponseDecoder.membersErrorMessage(reply.body()));
        }
    }

    private static String peerUrlsBody(List<String> urls) {
        final StringBuilder sb = new StringBuilder("{\"peerURLs\":[");
        for (int i = 0; i < urls.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            GoJsonWriter.appendString(sb, urls.get(i));
        }
        return sb.append("]}").toString();
    }

    private static void expect(V2Reply reply, int... wanted) throws MembersException {
        for (int code : wanted) {
            if (reply.status() == code) {
                return;
            }
        }
        throw new MembersException("unexpected status code " + reply.status());
    }

    /** A members-API failure whose message etcdctl prints as is. */
    public static final class MembersException extends Exception {
        public MembersException(String message) {
            super(message);
        }
    }
}
