package io.v2store.http;

import java.util.List;

/** A member as /v2/members shows it; an added but never started member has an empty name. */
public record Member(long id, String name, List<String> peerUrls, List<String> clientUrls) {}
