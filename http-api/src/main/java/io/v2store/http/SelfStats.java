package io.v2store.http;

/**
 * /v2/stats/self. Times are unix epoch milliseconds; the HTTP layer formats them as RFC 3339 and
 * the leader uptime as a Go duration. Rates of 0 are omitted from the JSON, as etcd does.
 */
public record SelfStats(
    String name,
    long id,
    boolean leader,
    long startTimeMillis,
    long leaderId,
    long leaderSinceMillis,
    long recvAppendRequestCnt,
    long sendAppendRequestCnt,
    double recvPkgRate,
    double recvBandwidthRate,
    double sendPkgRate,
    double sendBandwidthRate) {}
