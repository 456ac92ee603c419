package io.v2store.server.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * etcd's --config-file (or ETCD_CONFIG_FILE): a YAML document whose keys are the flags' names,
 * with the TLS flags nested under {@code client-transport-security} and
 * {@code peer-transport-security} (etcd's sample etcd.conf.yml). When it is given, flags and
 * {@code ETCD_*} variables are ignored, as in etcd. Keys that are no flag are ignored (etcd
 * decodes into a struct); a value of the wrong kind is refused, as etcd refuses it.
 */
final class ConfigFile {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Map<String, String> CLIENT_TLS = Map.of("cert-file", "cert-file",
        "key-file", "key-file", "client-cert-auth", "client-cert-auth", "trusted-ca-file",
        "trusted-ca-file", "auto-tls", "auto-tls", "crl-file", "client-crl-file");
    private static final Map<String, String> PEER_TLS = Map.of("cert-file", "peer-cert-file",
        "key-file", "peer-key-file", "client-cert-auth", "peer-client-cert-auth", "trusted-ca-file",
        "peer-trusted-ca-file", "auto-tls", "peer-auto-tls", "crl-file", "peer-crl-file");

    private ConfigFile() {
    }

    /** The flag values the file sets, by flag name. */
    static Map<String, String> read(Path file, Map<String, FlagSpec> flags)
        throws ConfigBuilder.InvalidConfigException {
        JsonNode root;
        try {
            root = YAML.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new ConfigBuilder.InvalidConfigException("open " + file + ": no such file or directory");
        } catch (JacksonException e) {
            throw new ConfigBuilder.InvalidConfigException("error converting YAML to JSON: "
                + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigBuilder.InvalidConfigException("open " + file + ": " + e.getMessage());
        }
        Map<String, String> values = new LinkedHashMap<>();
        if (root == null || root.isNull() || root.isMissingNode()) {
            return values; // an empty file: etcd's defaults
        }
        if (!root.isObject()) {
            throw new ConfigBuilder.InvalidConfigException("error unmarshaling JSON: json: cannot unmarshal "
                + kind(root) + " into Go value of type embed.configYAML");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("client-transport-security") || e.getKey().equals("peer-transport-security")) {
                Map<String, String> names = e.getKey().startsWith("client") ? CLIENT_TLS : PEER_TLS;
                if (!e.getValue().isObject()) {
                    throw typeError(e.getKey(), e.getValue(), "embed.securityConfig");
                }
                for (Iterator<Map.Entry<String, JsonNode>> t = e.getValue().fields(); t.hasNext(); ) {
                    Map.Entry<String, JsonNode> tls = t.next();
                    String flag = names.get(tls.getKey());
                    if (flag != null) put(values, flags.get(flag), tls.getKey(), tls.getValue());
                }
            } else if (flags.containsKey(e.getKey()) && !e.getKey().equals("config-file")) {
                put(values, flags.get(e.getKey()), e.getKey(), e.getValue());
            }
        }
        return values;
    }

    private static void put(Map<String, String> values, FlagSpec flag, String key, JsonNode value)
        throws ConfigBuilder.InvalidConfigException {
        if (value.isNull()) {
            return; // "key:" with nothing after it leaves the default, as in etcd
        }
        switch (flag.kind()) {
            case BOOL -> {
                if (!value.isBoolean()) throw typeError(key, value, "bool");
                values.put(flag.name(), Boolean.toString(value.booleanValue()));
            }
            case UINT, UINT32, INT -> {
                String goType = flag.kind() == FlagKind.INT ? "int64" : "uint64";
                if (!value.isNumber()) throw typeError(key, value, goType);
                // YAML's 1e3 or 5.0 is a float that etcd's decoder still takes as the integer
                // it is (the YAML becomes JSON, where 1000 and 5 are written so)
                BigDecimal number = value.decimalValue().stripTrailingZeros();
                String text = number.scale() <= 0 ? number.toBigInteger().toString() : number.toPlainString();
                if (number.scale() > 0 || FlagValues.problem(flag, text).isPresent()) {
                    // a fraction, a negative number for an unsigned field, or one out of range
                    throw typeError(key, "number " + text, goType);
                }
                values.put(flag.name(), text);
            }
            default -> {
                String text;
                if (value.isArray()) {
                    List<String> items = new ArrayList<>();
                    value.forEach(item -> items.add(item.asText()));
                    text = String.join(",", items);
                } else if (value.isValueNode()) {
                    text = value.asText();
                } else {
                    throw typeError(key, value, "string");
                }
                if (text.isEmpty() && emptyKeepsDefault(flag)) {
                    return;
                }
                check(flag, key, text);
                values.put(flag.name(), text);
            }
        }
    }

    /**
     * etcd reads its URL lists, {@code cors}, {@code host-whitelist}, {@code proxy} and
     * {@code discovery-fallback} from the file as strings that it applies only when not empty,
     * and takes an empty {@code initial-cluster-state} as {@code new}: "" leaves the default.
     */
    private static boolean emptyKeepsDefault(FlagSpec flag) {
        return flag.kind() == FlagKind.URLS || flag.kind() == FlagKind.URLS_OR_STAR
            || flag.kind() == FlagKind.CHOICE || flag.name().equals("host-whitelist");
    }

    /**
     * What etcd checks as it turns the file's strings into its settings; flags and variables
     * are checked as they are parsed, the file's values here.
     */
    private static void check(FlagSpec flag, String key, String text) throws ConfigBuilder.InvalidConfigException {
        if (flag.kind() != FlagKind.URLS && flag.kind() != FlagKind.URLS_OR_STAR && flag.kind() != FlagKind.CHOICE) {
            return; // any text, or a kind etcd's file decodes otherwise (durations: nanoseconds)
        }
        var problem = FlagValues.problem(flag, text);
        if (problem.isEmpty()) {
            return;
        }
        // etcd exits on a bad URL list, proxy or discovery-fallback as it reads the file, with the
        // line alone; a bad initial-cluster-state fails its verification of flags
        throw switch (flag.name()) {
            case "initial-cluster-state" ->
                new ConfigBuilder.InvalidConfigException("unexpected clusterState \"" + text + "\"");
            case "proxy" -> new ConfigBuilder.InvalidConfigException(
                "unexpected error setting up proxyFlag: invalid value", true);
            case "discovery-fallback" -> new ConfigBuilder.InvalidConfigException(
                "unexpected error setting up discovery-fallback flag: invalid value", true);
            default -> new ConfigBuilder.InvalidConfigException(
                "unexpected error setting up " + key + ": " + problem.get(), true);
        };
    }

    private static ConfigBuilder.InvalidConfigException typeError(String key, JsonNode value, String goType) {
        return typeError(key, kind(value), goType);
    }

    /** @param what Go's words for the JSON value: its type, and a number's text */
    private static ConfigBuilder.InvalidConfigException typeError(String key, String what, String goType) {
        return new ConfigBuilder.InvalidConfigException("error unmarshaling JSON: while decoding JSON: json: "
            + "cannot unmarshal " + what + " into Go struct field configYAML." + key + " of type " + goType);
    }

    /** The JSON type Go's decoder names. */
    private static String kind(JsonNode value) {
        if (value.isTextual()) return "string";
        if (value.isNumber()) return "number";
        if (value.isBoolean()) return "bool";
        if (value.isArray()) return "array";
        if (value.isObject()) return "object";
        return "null";
    }
}
