package io.v2store.etcdctl.client;

/** Status, {@code X-Etcd-Index} (0 when absent) and the whole body of one answer. */
public record V2Reply(int status, long etcdIndex, String body) {
}
