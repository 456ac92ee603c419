package io.v2store.etcdctl.client;

import io.v2store.etcdctl.json.JsonException;
import io.v2store.etcdctl.json.JsonReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Turns keys-API and members-API bodies into records, the way the Go v2 client reads them. */
public final class ResponseDecoder {
    private ResponseDecoder() {
    }

    /** Go's client.ErrInvalidJSON: a keys answer, event or error, that is not the JSON expected. */
    static final String INVALID_JSON =
            "client: response is invalid json. The endpoint is probably not valid etcd cluster endpoint";

    /**
     * A keys answer: 200/201 is an event, anything else an etcd error body. Null for an empty 200.
     * A body that is no such JSON (a web server's page, a proxy's error) ends in Go's words.
     */
    public static KeyResponse keyResponse(V2Reply reply) throws EtcdServerException {
        final Map<String, Object> root;
        try {
            if (reply.status() == 200 || reply.status() == 201) {
                if (reply.body().isEmpty()) {
                    return null;
                }
                root = object(JsonReader.parse(reply.body()));
                return new KeyResponse(string(root.get("action")), node(root.get("node")), node(root.get("prevNode")),
                        reply.etcdIndex());
            }
            root = object(JsonReader.parse(reply.body()));
        } catch (JsonException e) {
            throw new JsonException(INVALID_JSON);
        }
        throw new EtcdServerException((int) number(root.get("errorCode")), string(root.get("message")),
                string(root.get("cause")), number(root.get("index")));
    }

    public static List<Member> members(String body) {
        final Map<String, Object> root = object(JsonReader.parse(body));
        final List<Member> members = new ArrayList<>();
        final Object list = root.get("members");
        if (list instanceof List<?> items) {
            for (Object item : items) {
                members.add(member(item));
            }
        }
        return members;
    }

    public static Member member(Object value) {
        final Map<String, Object> m = object(value);
        return new Member(string(m.get("id")), string(m.get("name")), strings(m.get("peerURLs")),
                strings(m.get("clientURLs")));
    }

    /** The {@code message} of a members-API error body. */
    public static String membersErrorMessage(String body) {
        return string(object(JsonReader.parse(body)).get("message"));
    }

    private static KeyNode node(Object value) {
        if (value == null) {
            return null;
        }
        final Map<String, Object> n = object(value);
        List<KeyNode> children = null;
        if (n.get("nodes") instanceof List<?> items) {
            children = new ArrayList<>(items.size());
            for (Object item : items) {
                children.add(node(item));
            }
        }
        return new KeyNode(string(n.get("key")), Boolean.TRUE.equals(n.get("dir")), string(n.get("value")), children,
                number(n.get("createdIndex")), number(n.get("modifiedIndex")),
                n.get("expiration") instanceof String s ? s : null, number(n.get("ttl")));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value) {
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new JsonException("expected a JSON object");
    }

    private static String string(Object value) {
        return value instanceof String s ? s : "";
    }

    private static long number(Object value) {
        if (value instanceof Long l) {
            return l;
        }
        return value instanceof Double d ? d.longValue() : 0;
    }

    private static List<String> strings(Object value) {
        final List<String> out = new ArrayList<>();
        if (value instanceof List<?> items) {
            for (Object item : items) {
                out.add(string(item));
            }
        }
        return out;
    }
}
