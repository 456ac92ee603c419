package io.v2store.etcdctl.output;

import io.v2store.etcdctl.client.KeyNode;
import io.v2store.etcdctl.client.KeyResponse;
import io.v2store.etcdctl.json.GoJsonWriter;
import java.io.PrintStream;

/** Go etcdctl's {@code printResponseKey}: the simple, extended and json renderings of a response. */
public final class ResponsePrinter {
    private ResponsePrinter() {
    }

    public static void print(KeyResponse resp, String format, PrintStream out, PrintStream err) {
        switch (format) {
            case "simple":
                if (!resp.action().equals("delete")) {
                    out.print(resp.node().value() + "\n");
                } else {
                    out.print("PrevNode.Value: " + prevValue(resp) + "\n");
                }
                break;
            case "extended":
                final StringBuilder sb = new StringBuilder();
                sb.append("Key: ").append(resp.node().key()).append('\n');
                sb.append("Created-Index: ").append(resp.node().createdIndex()).append('\n');
                sb.append("Modified-Index: ").append(resp.node().modifiedIndex()).append('\n');
                if (resp.prevNode() != null) {
                    sb.append("PrevNode.Value: ").append(resp.prevNode().value()).append('\n');
                }
                sb.append("TTL: ").append(resp.node().ttl()).append('\n');
                sb.append("Index: ").append(resp.etcdIndex()).append('\n');
                if (!resp.action().equals("delete")) {
                    sb.append('\n').append(resp.node().value()).append('\n');
                }
                out.print(sb);
                break;
            case "json":
                out.print(json(resp) + "\n");
                break;
            default:
                err.print("Unsupported output format: " + format + "\n");
        }
    }

    private static String prevValue(KeyResponse resp) {
        return resp.prevNode() == null ? "" : resp.prevNode().value();
    }

    /** The Go client's {@code json.Marshal(resp)}: field order and omissions of its structs. */
    public static String json(KeyResponse resp) {
        final StringBuilder sb = new StringBuilder();
        sb.append("{\"action\":");
        GoJsonWriter.appendString(sb, resp.action());
        sb.append(",\"node\":");
        appendNode(sb, resp.node());
        sb.append(",\"prevNode\":");
        appendNode(sb, resp.prevNode());
        return sb.append('}').toString();
    }

    private static void appendNode(StringBuilder sb, KeyNode node) {
        if (node == null) {
            sb.append("null");
            return;
        }
        sb.append("{\"key\":");
        GoJsonWriter.appendString(sb, node.key());
        if (node.dir()) {
            sb.append(",\"dir\":true");
        }
        sb.append(",\"value\":");
        GoJsonWriter.appendString(sb, node.value());
        sb.append(",\"nodes\":");
        if (node.nodes() == null) {
            sb.append("null");
        } else {
            sb.append('[');
            for (int i = 0; i < node.nodes().size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                appendNode(sb, node.nodes().get(i));
            }
            sb.append(']');
        }
        sb.append(",\"createdIndex\":").append(node.createdIndex());
        sb.append(",\"modifiedIndex\":").append(node.modifiedIndex());
        if (node.expiration() != null) {
            sb.append(",\"expiration\":");
            GoJsonWriter.appendString(sb, node.expiration());
        }
        if (node.ttl() != 0) {
            sb.append(",\"ttl\":").append(node.ttl());
        }
        sb.append('}');
    }
}
