package io.v2store.it;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * What {@link KeysTraffic} has learnt from the reference's answers: the events written (so that
 * a watch can be given a waitIndex the history answers at once, never one left waiting) and each
 * key's last known modifiedIndex and value (so a prevIndex or prevValue can be right, stale or
 * in the future). Indexes
 * are relative to the server's start, as normalised observations carry them, so the requests
 * built from them name the same events on both servers.
 */
final class KeysSeen {

    /** One write's event; {@code removedDirectory}: a delete whose prevNode is a directory. */
    record Event(long index, String key, boolean removedDirectory) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> WRITES = Set.of("PUT", "POST", "DELETE");

    private final List<Event> events = new ArrayList<>();
    private final Map<String, Long> modified = new HashMap<>();
    private final Map<String, String> values = new HashMap<>();

    boolean hasEvents() {
        return !events.isEmpty();
    }

    Event anyEvent(Random random) {
        return events.get(random.nextInt(events.size()));
    }

    Optional<Long> modifiedIndex(String key) {
        return Optional.ofNullable(modified.get(key));
    }

    Optional<String> value(String key) {
        return Optional.ofNullable(values.get(key));
    }

    /**
     * Learns from one request and the reference's answer to it.
     *
     * @return the key of a node written with {@code ttl=0}: it expires on the server's next
     *     500 ms tick, an event neither server times alike, so the caller waits for it to go
     */
    Optional<String> learn(RawRequest request, Observation answer) {
        JsonNode body = parse(answer.body());
        if (body == null || (answer.status() != 200 && answer.status() != 201)) {
            return Optional.empty();
        }
        String action = body.path("action").asText();
        JsonNode node = body.path("node");
        if (action.equals("get") && request.method().equals("GET")) {
            remember(node);
            return Optional.empty();
        }
        if (!WRITES.contains(request.method()) || !node.has("key")) {
            return Optional.empty();
        }
        String key = node.path("key").asText();
        long index = node.path("modifiedIndex").asLong();
        // A refresh is skipped by history scans: a watch waiting for it would wait forever.
        if (!request.toString().contains("refresh")) {
            boolean removed = action.equals("delete") || action.equals("compareAndDelete");
            events.add(new Event(index, key, removed && body.path("prevNode").path("dir").asBoolean()));
        }
        if (action.equals("delete") || action.equals("compareAndDelete")) {
            modified.keySet().removeIf(k -> k.equals(key) || k.startsWith(key + "/"));
            values.keySet().removeIf(k -> k.equals(key) || k.startsWith(key + "/"));
            return Optional.empty();
        }
        remember(node);
        // ttl=0: an expiration of "now" and no ttl field (ttl 0 is left out of the JSON)
        return node.has("expiration") && !node.has("ttl") ? Optional.of(key) : Optional.empty();
    }

    private void remember(JsonNode node) {
        if (node.has("key") && node.has("modifiedIndex")) {
            modified.put(node.path("key").asText(), node.path("modifiedIndex").asLong());
        }
        if (node.has("key") && node.has("value")) {
            values.put(node.path("key").asText(), node.path("value").asText());
        }
        node.path("nodes").forEach(this::remember);
    }

    /** The normalised body, whose trailing newline the normaliser spelt as the two characters \n. */
    private static JsonNode parse(String body) {
        String text = body.endsWith("\\n") ? body.substring(0, body.length() - 2) : body;
        try {
            JsonNode tree = text.isEmpty() ? null : JSON.readTree(text);
            return tree != null && tree.isObject() ? tree : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
