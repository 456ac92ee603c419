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
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

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
    /**
     * An index parameter in a URL a redirect repeats (in its HTML body after "&amp;"): the test
     * sent each server its own index. Only a whole number: "waitIndex=1.5" went as written.
     */
    private static final Pattern ECHOED_INDEX = Pattern.compile("(?<=[?&;](?:prevIndex|waitIndex)=)(\\d+)(?=[&\"]|$)");
    private static final Pattern PREV_INDEX = Pattern.compile("(?:^|[?&])prevIndex=(\\d+)");
    private static final Pattern PREV_VALUE = Pattern.compile("(?:^|[?&])prevValue=([^&]*)");

    private final ServerContext context;

    Normaliser(ServerContext context) {
        this.context = context;
    }

    Observation normalise(String step, RawRequest request, RawResponse response) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : COMPARED_VALUES) {
            response.header(name).ifPresent(v -> headers.put(name, replaceEchoedIndexes(replaceUrls(v))));
        }
        for (String name : COMPARED_PRESENCE) {
            response.header(name).ifPresent(v -> headers.put(name, "<present>"));
        }
        response.header("X-Etcd-Index").ifPresent(v -> headers.put("X-Etcd-Index",
            Long.toString(context.relative(Long.parseLong(v)))));
        List<Long> ttls = new ArrayList<>();
        String[] alternative = {null};
        String body = normaliseBody(request, response.body(), ttls, alternative);
        return new Observation(step, response.status(), headers, body, ttls, alternative[0]);
    }

    /** alternative[0]: the body under the other reading of an ambiguous comparison, if it had one. */
    private String normaliseBody(RawRequest request, String body, List<Long> ttls, String[] alternative) {
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
            return replaceEchoedIndexes(replaceUrls(body)).replace("\n", "\\n");
        }
        boolean shapeOnly = request.target().startsWith("/v2/stats/");
        boolean keepOrder = request.target().matches(".*[?&]sorted=(1|t|T|TRUE|true|True)(&.*)?");
        boolean[] sawAmbiguous = {false};
        Set<String> prevIndexes = prevIndexes(request);
        Set<String> prevValues = prevValues(request);
        String asValue = walk(tree, "", new Pass(ttls, shapeOnly, keepOrder, prevIndexes, prevValues, false,
            sawAmbiguous)).toString() + newline;
        if (sawAmbiguous[0]) {
            alternative[0] = walk(tree, "", new Pass(new ArrayList<>(), shapeOnly, keepOrder, prevIndexes,
                prevValues, true, sawAmbiguous)).toString() + newline;
        }
        return asValue;
    }

    /**
     * What one body's walk needs to know about its request, and the TTLs it set aside.
     * {@code ambiguousAsIndex}: how to read a "[a != b]" whose a is both the request's prevValue and
     * one of its prevIndexes (see {@link #replaceIndexComparisons}); {@code sawAmbiguous[0]} is set
     * when the walk met one.
     */
    private record Pass(List<Long> ttls, boolean shapeOnly, boolean keepOrder, Set<String> prevIndexes,
                        Set<String> prevValues, boolean ambiguousAsIndex, boolean[] sawAmbiguous) {
        Pass withTtls(List<Long> own) {
            return new Pass(own, shapeOnly, keepOrder, prevIndexes, prevValues, ambiguousAsIndex, sawAmbiguous);
        }
    }

    /** Every prevValue the request names, decoded, in its query or its body. */
    private static Set<String> prevValues(RawRequest request) {
        int query = request.target().indexOf('?');
        String text = (query < 0 ? "" : request.target().substring(query)) + "&" + request.body().orElse("");
        return PREV_VALUE.matcher(text).results().map(m -> {
            try {
                return java.net.URLDecoder.decode(m.group(1), java.nio.charset.StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return m.group(1); // not valid percent-encoding: the server saw it some other way
            }
        }).collect(Collectors.toSet());
    }

    /** Every prevIndex the request names, in its query or its body, whichever the server read. */
    private static Set<String> prevIndexes(RawRequest request) {
        int query = request.target().indexOf('?');
        String text = (query < 0 ? "" : request.target().substring(query)) + "&" + request.body().orElse("");
        return PREV_INDEX.matcher(text).results().map(m -> m.group(1)).collect(Collectors.toSet());
    }

    private JsonNode walk(JsonNode node, String field, Pass pass) {
        if (node.isObject()) {
            ObjectNode out = JSON.createObjectNode();
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> e = fields.next();
                out.set(e.getKey(), walk(e.getValue(), e.getKey(), pass));
            }
            return out;
        }
        if (node.isArray()) {
            // each item's TTLs kept with it, so that they follow it when the listing is sorted
            List<Map.Entry<JsonNode, List<Long>>> items = new ArrayList<>();
            for (JsonNode item : node) {
                Pass own = pass.withTtls(new ArrayList<>());
                items.add(Map.entry(walk(item, field, own), own.ttls()));
            }
            if (field.equals("nodes") && !pass.keepOrder()) {
                items.sort(Comparator.comparing(e -> e.getKey().path("key").asText()));
            }
            ArrayNode out = JSON.createArrayNode();
            items.forEach(e -> {
                out.add(e.getKey());
                pass.ttls().addAll(e.getValue());
            });
            return out;
        }
        if (pass.shapeOnly() && node.isNumber()) {
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
                pass.ttls().add(node.asLong());
                return TextNode.valueOf("<ttl>");
            }
            case "startTime" -> {
                return TextNode.valueOf("<time>");
            }
            case "uptime" -> {
                return TextNode.valueOf("<duration>");
            }
            case "cause" -> {
                return TextNode.valueOf(normaliseCause(node.asText(), pass));
            }
            default -> {
                return node.isTextual() ? TextNode.valueOf(normaliseText(node.asText())) : node;
            }
        }
    }

    /**
     * In-order names, index comparisons and history bounds inside keys and causes; ids and URLs.
     * Without the request (etcdctl's output) any "[a != b]" of two numbers counts as indexes.
     */
    String normaliseText(String text) {
        return normaliseCause(text, null);
    }

    /**
     * As {@link #normaliseText}, but a "[a != b]" is an index comparison only when {@code a} is
     * a prevIndex of the request: "[2 != 1]" after {@code prevValue=2} compares values, which
     * must be equal as they are. {@code pass} null: every such comparison is taken as one.
     */
    private String normaliseCause(String text, Pass pass) {
        String out = replaceNumbers(IN_ORDER_NAME, text, true);
        out = pass == null ? replaceNumbers(INDEX_COMPARISON, out, false) : replaceIndexComparisons(out, pass);
        out = replaceNumbers(HISTORY_CLEARED, out, false);
        if (out.equals(context.memberIdHex())) {
            return "<member-id>";
        }
        return replaceUrls(out);
    }

    /**
     * Which "[a != b]" of a cause compare indexes. etcd writes "[prevValue != value]" when only the
     * value differs, "[prevIndex != modifiedIndex]" when only the index does, and both in that
     * order when both do: so with two comparisons the last compares indexes; with one, it does
     * when a is a prevIndex of the request. When a is also its prevValue (a server whose indexes
     * start at 0 answers "[2 != 1]" to prevValue=2&prevIndex=2 whichever differed) the cause reads
     * both ways: as the pass says, and the walk notes that the other reading exists.
     */
    private String replaceIndexComparisons(String text, Pass pass) {
        Matcher m = INDEX_COMPARISON.matcher(text);
        boolean bothNamed = !pass.prevIndexes().isEmpty() && !pass.prevValues().isEmpty();
        boolean twoComparisons = bothNamed && text.indexOf(" != ") != text.lastIndexOf(" != ");
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            boolean index;
            if (twoComparisons) {
                index = m.end() == text.length();
            } else if (pass.prevIndexes().contains(m.group(1)) && pass.prevValues().contains(m.group(1))) {
                pass.sawAmbiguous()[0] = true;
                index = pass.ambiguousAsIndex();
            } else {
                index = pass.prevIndexes().contains(m.group(1));
            }
            String replacement = index ? replaceNumbers(INDEX_COMPARISON, m.group(), false) : m.group();
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
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

    private String replaceEchoedIndexes(String text) {
        return replaceNumbers(ECHOED_INDEX, text, false);
    }

    private String replaceUrls(String text) {
        return text.replace(context.server().clientUrl().toString(), "<client-url>")
            .replace(context.server().peerUrl().toString(), "<peer-url>");
    }
}
