package io.v2store.http;

import io.v2store.storage.store.StoreStats;
import java.util.Map;
import java.util.TreeMap;

/** The /v2/stats bodies (spec 10.3), in etcd's field order, without a trailing newline. */
final class StatsJson {
  private StatsJson() {}

  static String self(SelfStats s, long nowMillis) {
    StringBuilder sb = new StringBuilder(320);
    sb.append("{\"name\":").append(JsonText.quote(s.name()))
        .append(",\"id\":\"").append(Responses.hex(s.id())).append('"')
        .append(",\"state\":\"").append(s.leader() ? "StateLeader" : "StateFollower").append('"')
        .append(",\"startTime\":\"").append(Rfc3339.formatMillis(s.startTimeMillis())).append('"')
        .append(",\"leaderInfo\":{\"leader\":\"")
        .append(s.leaderId() == 0 ? "" : Responses.hex(s.leaderId()))
        .append("\",\"uptime\":\"")
        .append(GoFormat.duration((nowMillis - s.leaderSinceMillis()) * 1_000_000L))
        .append("\",\"startTime\":\"").append(Rfc3339.formatMillis(s.leaderSinceMillis()))
        .append("\"},\"recvAppendRequestCnt\":").append(s.recvAppendRequestCnt());
    rate(sb, "recvPkgRate", s.recvPkgRate());
    rate(sb, "recvBandwidthRate", s.recvBandwidthRate());
    sb.append(",\"sendAppendRequestCnt\":").append(s.sendAppendRequestCnt());
    rate(sb, "sendPkgRate", s.sendPkgRate());
    rate(sb, "sendBandwidthRate", s.sendBandwidthRate());
    return sb.append('}').toString();
  }

  private static void rate(StringBuilder sb, String name, double value) {
    if (value != 0) {
      sb.append(",\"").append(name).append("\":").append(GoFormat.jsonFloat(value));
    }
  }

  static String leader(LeaderStats stats) {
    StringBuilder sb = new StringBuilder(128);
    sb.append("{\"leader\":\"").append(Responses.hex(stats.leaderId())).append("\",\"followers\":{");
    // Go writes map keys sorted.
    Map<String, LeaderStats.Follower> sorted = new TreeMap<>();
    stats.followers().forEach((id, f) -> sorted.put(Responses.hex(id), f));
    boolean first = true;
    for (Map.Entry<String, LeaderStats.Follower> e : sorted.entrySet()) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      LeaderStats.Follower f = e.getValue();
      sb.append('"').append(e.getKey()).append("\":{\"latency\":{")
          .append("\"current\":").append(GoFormat.jsonFloat(f.currentMs()))
          .append(",\"average\":").append(GoFormat.jsonFloat(f.averageMs()))
          .append(",\"standardDeviation\":").append(GoFormat.jsonFloat(f.standardDeviationMs()))
          .append(",\"minimum\":").append(GoFormat.jsonFloat(f.minimumMs()))
          .append(",\"maximum\":").append(GoFormat.jsonFloat(f.maximumMs()))
          .append("},\"counts\":{\"fail\":").append(f.fail())
          .append(",\"success\":").append(f.success()).append("}}");
    }
    return sb.append("}}").toString();
  }

  static String store(StoreStats s) {
    return "{\"getsSuccess\":" + s.getsSuccess() + ",\"getsFail\":" + s.getsFail()
        + ",\"setsSuccess\":" + s.setsSuccess() + ",\"setsFail\":" + s.setsFail()
        + ",\"deleteSuccess\":" + s.deleteSuccess() + ",\"deleteFail\":" + s.deleteFail()
        + ",\"updateSuccess\":" + s.updateSuccess() + ",\"updateFail\":" + s.updateFail()
        + ",\"createSuccess\":" + s.createSuccess() + ",\"createFail\":" + s.createFail()
        + ",\"compareAndSwapSuccess\":" + s.compareAndSwapSuccess()
        + ",\"compareAndSwapFail\":" + s.compareAndSwapFail()
        + ",\"compareAndDeleteSuccess\":" + s.compareAndDeleteSuccess()
        + ",\"compareAndDeleteFail\":" + s.compareAndDeleteFail()
        + ",\"expireCount\":" + s.expireCount() + ",\"watchers\":" + s.watchers() + "}";
  }
}
