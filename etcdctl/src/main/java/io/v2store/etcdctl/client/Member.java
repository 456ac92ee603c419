package io.v2store.etcdctl.client;

import java.util.List;

/** One entry of {@code GET /v2/members}; an unstarted member has an empty name. */
public record Member(String id, String name, List<String> peerUrls, List<String> clientUrls) {
}
