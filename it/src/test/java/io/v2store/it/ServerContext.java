package io.v2store.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What differs legitimately between two servers and must be normalised away: the etcd index
 * the server started at (etcd spends a few on internal bookkeeping), its member id and its URLs.
 */
record ServerContext(ServerUnderTest server, long baseIndex, String memberIdHex) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads the starting index and member id from a freshly started server. */
    static ServerContext probe(ServerUnderTest server) {
        RawResponse root = RawHttp.send(server.clientUrl(), RawRequest.of("GET", "/v2/keys"));
        RawResponse members = RawHttp.send(server.clientUrl(), RawRequest.of("GET", "/v2/members"));
        try {
            JsonNode list = JSON.readTree(members.body()).path("members");
            if (list.size() != 1) {
                throw new AssertionError(server.label() + " /v2/members: " + members.body());
            }
            return new ServerContext(server, root.etcdIndex(), list.get(0).path("id").asText());
        } catch (IOException e) {
            throw new UncheckedIOException(server.label() + " /v2/members is not JSON: " + members.body(), e);
        }
    }

    /** An index relative to the start; 0 stays 0 (validation errors report index 0). */
    long relative(long absolute) {
        return absolute == 0 ? 0 : absolute - baseIndex;
    }

    long absolute(long relative) {
        return baseIndex + relative;
    }
}
