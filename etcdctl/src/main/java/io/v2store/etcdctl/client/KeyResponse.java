package io.v2store.etcdctl.client;

/** A successful keys-API answer: the event body plus the {@code X-Etcd-Index} header. */
public record KeyResponse(String action, KeyNode node, KeyNode prevNode, long etcdIndex) {
}
