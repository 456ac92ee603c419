package io.v2store.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A proxy's data dir: {@code <data-dir>/proxy/cluster}, the members' peer URLs as last seen, in
 * etcd's format ({@code {"PeerURLs":[...]}}), so a proxy restarts into the cluster as it is now
 * and not as it was bootstrapped, with no discovery service needed; and the {@code proxy}
 * directory itself, which marks a data dir as a proxy's (etcd's and ours alike).
 */
final class ProxyClusterFile {
  /**
   * Made on first use: a member's start asks {@link #isProxyDataDir} before it binds its client
   * listeners, and an ObjectMapper's first creation took ~35 ms of that (Jackson's date formats).
   */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }

  private final Path file;

  ProxyClusterFile(Path dataDir) {
    this.file = dataDir.resolve("proxy").resolve("cluster");
  }

  /** A data dir holds a proxy, not a member: a proxy directory and no member identity. */
  static boolean isProxyDataDir(Path dataDir) {
    return Files.isDirectory(dataDir.resolve("proxy"))
        && !Files.exists(dataDir.resolve("member").resolve(MemberIdentity.FILE));
  }

  Path path() {
    return file;
  }

  Optional<List<URI>> read() throws IOException {
    if (!Files.exists(file)) return Optional.empty();
    List<URI> urls = new ArrayList<>();
    for (JsonNode url : Json.MAPPER.readTree(file.toFile()).path("PeerURLs")) urls.add(URI.create(url.asText()));
    return urls.isEmpty() ? Optional.empty() : Optional.of(urls);
  }

  /** Replaced whole, synced before the rename: a crash leaves the old file or the new one. */
  void write(List<URI> peerUrls) throws IOException {
    Files.createDirectories(file.getParent());
    ObjectNode doc = Json.MAPPER.createObjectNode();
    peerUrls.forEach(url -> doc.withArray("PeerURLs").add(url.toString()));
    Path next = file.resolveSibling("cluster.bak");
    Files.write(next, Json.MAPPER.writeValueAsBytes(doc));
    try (FileChannel channel = FileChannel.open(next, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
    Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
