package io.v2store.server.config;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Member and cluster ids derived exactly as etcd 3.4 derives them for a new cluster
 * (etcdserver/api/membership {@code NewMember} and {@code RaftCluster.genID}), so that members
 * started from the same {@code --initial-cluster} and token agree on every id without talking,
 * and so that our ids equal the real etcd's for the same flags.
 *
 * @param clusterId the cluster id
 * @param memberIds each initial member's id, in initial-cluster order
 */
public record ClusterIds(long clusterId, Map<String, Long> memberIds) {

    public ClusterIds {
        memberIds = Collections.unmodifiableMap(new LinkedHashMap<>(memberIds));
    }

    /**
     * @throws IllegalArgumentException when two members hash to the same id or a member id is 0
     *     (raft's "no node"), as etcd refuses both
     */
    public static ClusterIds of(Map<String, List<URI>> initialCluster, String token) {
        Map<String, Long> ids = new LinkedHashMap<>();
        for (Map.Entry<String, List<URI>> member : initialCluster.entrySet()) {
            long id = memberId(member.getValue(), token);
            if (id == 0) {
                throw new IllegalArgumentException("cannot use 0 as member id");
            }
            if (ids.containsValue(id)) {
                throw new IllegalArgumentException("member exists with identical ID " + hex(id));
            }
            ids.put(member.getKey(), id);
        }
        return new ClusterIds(clusterId(ids.values()), ids);
    }

    /**
     * sha1 of the member's peer URLs, sorted and concatenated, followed by the cluster token;
     * the id is the first 8 bytes of the digest, big-endian.
     */
    public static long memberId(List<URI> peerUrls, String token) {
        List<String> sorted = new ArrayList<>();
        for (URI url : peerUrls) {
            sorted.add(url.toString());
        }
        Collections.sort(sorted);
        StringBuilder material = new StringBuilder();
        sorted.forEach(material::append);
        material.append(token);
        return firstEightBytes(sha1(material.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /** sha1 over the member ids sorted as unsigned numbers, each written as 8 big-endian bytes. */
    public static long clusterId(Collection<Long> memberIds) {
        List<Long> sorted = new ArrayList<>(memberIds);
        sorted.sort(Long::compareUnsigned);
        ByteBuffer buffer = ByteBuffer.allocate(8 * sorted.size());
        sorted.forEach(buffer::putLong);
        return firstEightBytes(sha1(buffer.array()));
    }

    /** Lower-case hex without leading zeros, as etcd prints ids in JSON and headers. */
    public static String hex(long id) {
        return Long.toHexString(id);
    }

    /** @throws IllegalArgumentException when {@code name} is not an initial member */
    public long memberId(String name) {
        Long id = memberIds.get(name);
        if (id == null) {
            throw new IllegalArgumentException("no initial member named " + name);
        }
        return id;
    }

    private static byte[] sha1(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-1", e);
        }
    }

    private static long firstEightBytes(byte[] digest) {
        return ByteBuffer.wrap(digest, 0, 8).getLong();
    }
}
