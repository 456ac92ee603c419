package io.v2store.it;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes from a response what may legitimately differ between two servers: etcd indexes
 * (made relative to the server's starting index, also inside in-order key names and error
 * causes), expiration times, TTLs (kept aside, compared within one second), member id, URLs,
 * the order of unsorted listings. Everything else must be identical.
 */
final class Normaliser {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> COMPARED_VALUES = List.of("Content-Type", "Allow", "Location",
        "Access-Control-Allow-Methods", "Access-Control-Allow-Origin", "Access-Control-Allow-Headers");
    private static final List<String> COMPARED_PRESENCE = List.of("X-Raft-Index", "X-Raft-Term", "X-Etcd-Cluster-Id", "Date");
    private static final Pattern IN_ORDER_NAME = Pattern.compile("(?<=/)(\\d{20})(?=/|$)");
    private static final Pattern INDEX_COMPARISON = Pattern.compile("\\[(\\d+) != (\\d+)]");
    private static final Pattern HISTORY_CLEARED = Pattern.compile("\\[(\\d+)/(\\d+)]");

    private final ServerContext context;

    Normaliser(ServerContext context) {
        this.context = context;
    }

    Observation normalise(String step, RawRequest request, RawResponse response) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : COMPARED_VALUES) {
            response.header(name).ifPresent(v -> headers.put(name, replaceUrls(v)));
        }
        for (String name : COMPARED_PRESENCE) {
            response.header(name).ifPresent(v -> headers.put(name, "<present>"));
        }
        response.header("X-Etcd-Index").ifPresent(v -> headers.put("X-Etcd-Index",
            Long.toString(context.relative(Long.parseLong(v)))));
        List<Long> ttls = new ArrayList<>();
        String body = normaliseBody(request, response.body(), ttls);
        return new Observation(step, response.status(), headers, body, ttls);
    }

    private String normaliseBody(RawRequest request, String body, List<Long> ttls) {
        if (body.isEmpty()) {
            return "";
        }
        String newline = body.endsWith("\n") ? "\\n" : "";
        JsonNode tree;
        try {
            tree = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            tree = null;
        }
        if (tree == null || !(tree.isObject() || tree.isArray())) {
            return replaceUrls(body).replace("\n", "\\n");
        }
        boolean shapeOnly = request.target().startsWith("/v2/stats/");
        boolean keepOrder = request.target().matches(".*[?&]sorted=(1|t|T|TRUE|true|True)(&.*)?");
        return walk(tree, "", ttls, shapeOnly, keepOrder).toString() + newline;
    }

    private JsonNode walk(JsonNode node, String field, List<Long> ttls, boolean shapeOnly, boolean keepOrder) {
        if (node.isObject()) {
            ObjectNode out = JSON.createObjectNode();
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> e = fields.next();
                out.set(e.getKey(), walk(e.getValue(), e.getKey(), ttls, shapeOnly, keepOrder));
            }
            return out;
        }
        if (node.isArray()) {
            List<JsonNode> items = new ArrayList<>();
            node.forEach(item -> items.add(walk(item, field, ttls, shapeOnly, keepOrder)));
            if (field.equals("nodes") && !keepOrder) {
                items.sort(Comparator.comparing(n -> n.path("key").asText()));
            }
            ArrayNode out = JSON.createArrayNode();
            items.forEach(out::add);
            return out;
        }
        if (shapeOnly && node.isNumber()) {
            return TextNode.valueOf("<number>");
        }
        switch (field) {
            case "index", "createdIndex", "modifiedIndex" -> {
                return node.isIntegralNumber() ? JSON.getNodeFactory().numberNode(context.relative(node.asLong())) : node;
            }
            case "expiration" -> {
                return TextNode.valueOf("<expiration>");
            }
            case "ttl" -> {
                ttls.add(node.asLong());
                return TextNode.valueOf("<ttl>");
            }
            case "startTime" -> {
                return TextNode.valueOf("<time>");
            }
            case "uptime" -> {
                return TextNode.valueOf("<duration>");
            }
            default -> {
                return node.isTextual() ? TextNode.valueOf(normaliseText(node.asText())) : node;
            }
        }
    }

    /** In-order names, index comparisons and history bounds inside keys and causes; ids and URLs. */
    String normaliseText(String text) {
        String out = replaceNumbers(IN_ORDER_NAME, text, true);
        out = replaceNumbers(INDEX_COMPARISON, out, false);
        out = replaceNumbers(HISTORY_CLEARED, out, false);
        if (out.equals(context.memberIdHex())) {
            return "<member-id>";
        }
        return replaceUrls(out);
    }

    private String replaceNumbers(Pattern pattern, String text, boolean padded) {
        Matcher m = pattern.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            StringBuilder replacement = new StringBuilder(m.group());
            for (int g = m.groupCount(); g >= 1; g--) {
                long relative = context.relative(Long.parseLong(m.group(g)));
                String value = padded ? String.format("%020d", relative) : Long.toString(relative);
                replacement.replace(m.start(g) - m.start(), m.end(g) - m.start(), "<" + value + ">");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement.toString()));
        }
        m.appendTail(out);
        return out.toString();
    }

    private String replaceUrls(String text) {
        return text.replace(context.server().clientUrl().toString(), "<client-url>")
            .replace(context.server().peerUrl().toString(), "<peer-url>");
    }
}
