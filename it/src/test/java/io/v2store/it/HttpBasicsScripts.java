package io.v2store.it;

import java.util.List;

/** Spec 1.1-1.7 (routing, paths, parameters, encoding, headers, CORS, 405), 5.4 and 10.2-10.5. */
final class HttpBasicsScripts {

    private HttpBasicsScripts() {
    }

    static List<Script> all() {
        return List.of(routing(), paths(), parameters(), validationOrder(), encoding(), otherEndpoints(),
            memberUrls());
    }

    static Script routing() {
        return new Script("routing, 404, 405, OPTIONS (1.1, 1.6, 1.7)")
            .get("/").get("/v2").get("/v2/foo").get("/v2/stats/").get("/v2/keysx")
            .send(RawRequest.of("OPTIONS", "/v2/keys/anything"))
            .send(RawRequest.of("OPTIONS", "/nowhere"))
            .send(RawRequest.of("OPTIONS", "/v2/keys/%ZZ"))
            .send(RawRequest.of("PATCH", "/v2/keys/r"))
            .send(RawRequest.of("POST", "/v2/machines"))
            .send(RawRequest.of("POST", "/version"))
            .send(RawRequest.of("POST", "/health"))
            .send(RawRequest.of("PUT", "/v2/stats/self"))
            .send(RawRequest.of("DELETE", "/v2/stats/store"))
            .send(RawRequest.of("PATCH", "/v2/members"))
            .send(RawRequest.of("DELETE", "/v2/members"))
            .send(RawRequest.of("PUT", "/v2/members"))
            .get("/v2/members/nonsense")
            .send(RawRequest.of("GET", "/v2/keys/r").header("Origin", "http://example.com"));
    }

    static Script paths() {
        return new Script("path normalisation (1.2)")
            .get("/v2/keys/p//b").get("/v2/keys/p/./b").get("/v2/keys/p/../b").get("/v2/keys/%2F")
            .send(RawRequest.of("PUT", "/v2/keys/p//b").form("value=x"))
            .put("/v2/keys/p%2Fenc", "value=slash")
            .get("/v2/keys/p/enc")
            .put("/v2/keys/p/sp%20ace", "value=space")
            .get("/v2/keys/p?recursive=true&sorted=true")
            .put("/v2/keys/p/trail/", "value=t")
            .get("/v2/keys/p/trail")
            .get("/v2/keys/p/trail/")
            .get("/v2/keys")
            .get("/v2/keys/")
            .head("/v2/keys/p/trail")
            .head("/v2/keys/p/missing");
    }

    static Script parameters() {
        return new Script("parameter sources and syntax (1.3)")
            .send(RawRequest.of("PUT", "/v2/keys/q/a?value=fromquery").form("value=frombody"))
            .put("/v2/keys/q/b?value=first&value=second")
            .send(RawRequest.of("PUT", "/v2/keys/q/c?ttl=1000&ttl=5"))
            .send(RawRequest.of("PUT", "/v2/keys/q/d").body("{\"value\":\"json\"}", "application/json"))
            .send(RawRequest.of("PUT", "/v2/keys/q/e").body("value=plain", "text/plain"))
            .send(RawRequest.of("PUT", "/v2/keys/q/f").body("value=untyped", null))
            .send(RawRequest.of("PUT", "/v2/keys/q/g").body("value=charset",
                "application/x-www-form-urlencoded; charset=utf-8"))
            .send(RawRequest.of("DELETE", "/v2/keys/q/a").form("prevValue=nothing"))
            .send(RawRequest.of("GET", "/v2/keys/q/b").form("recursive=bogus"))
            .get("/v2/keys/q/b?value=%ZZ")
            .send(RawRequest.of("PUT", "/v2/keys/q/h").form("value=%ZZ"))
            .get("/v2/keys/q?recursive=1&sorted=T")
            .get("/v2/keys/q?recursive=TRUE&sorted=True")
            .get("/v2/keys/q?recursive=yes")
            .get("/v2/keys/q?recursive")
            .get("/v2/keys/q?recursive=")
            .get("/v2/keys/q?sorted=true&recursive=f")
            .put("/v2/keys/q/i?ttl=+5", "value=x")
            .put("/v2/keys/q/i?ttl=1.5", "value=x")
            .put("/v2/keys/q/i?ttl=0x10", "value=x")
            .put("/v2/keys/q/i?ttl=", "value=nottl")
            .put("/v2/keys/q/i?prevIndex=-1", "value=x")
            .put("/v2/keys/q/i?prevValue=", "value=x")
            .put("/v2/keys/q/j?value=")
            .get("/v2/keys/q/j");
    }

    static Script validationOrder() {
        return new Script("validation order (5.4) on every method")
            .get("/v2/keys/v?prevIndex=x&recursive=x&ttl=x")
            .get("/v2/keys/v?waitIndex=x&recursive=x")
            .get("/v2/keys/v?recursive=x&wait=x")
            .get("/v2/keys/v?sorted=x&prevValue=")
            .get("/v2/keys/v?dir=x").get("/v2/keys/v?quorum=x").get("/v2/keys/v?stream=x").get("/v2/keys/v?wait=x")
            .put("/v2/keys/v?wait=true&prevValue=", "value=a")
            .send(RawRequest.of("DELETE", "/v2/keys/v?wait=true"))
            .send(RawRequest.of("POST", "/v2/keys/v?wait=true"))
            .put("/v2/keys/v?prevValue=&noValueOnSuccess=x", "value=a")
            .put("/v2/keys/v?noValueOnSuccess=x&ttl=x", "value=a")
            .put("/v2/keys/v?ttl=x&prevExist=x", "value=a")
            .put("/v2/keys/v?prevExist=x&refresh=x", "value=a")
            .put("/v2/keys/v?refresh=x", "value=a")
            .put("/v2/keys/v?refresh=true&ttl=5", "value=a")
            .put("/v2/keys/v?refresh=true", "")
            .put("/v2/keys/v?refresh=true&ttl=", "")
            .get("/v2/keys/v?refresh=true")
            .delete("/v2/keys/v?refresh=true&ttl=x")
            .delete("/v2/keys/v?prevExist=maybe")
            .get("/v2/keys/v?ttl=abc")
            .get("/v2/keys/v?noValueOnSuccess=1");
    }

    static Script encoding() {
        return new Script("JSON encoding (1.4)")
            .put("/v2/keys/enc/html", "value=%3Cb%3E%26%3C%2Fb%3E")
            .put("/v2/keys/enc/utf8", "value=%E2%82%AC%E2%80%A8")
            .put("/v2/keys/enc/bad", "value=%FF%FE")
            .get("/v2/keys/enc?recursive=true&sorted=true")
            .put("/v2/keys/enc/quote", "value=%22%5C%0A%09");
    }

    /**
     * Peer URLs that etcd's check (Go's url.Parse, then scheme, host:port, no path) refuses, each in
     * its own words; refused before any quorum check, so a single member answers them all.
     */
    static Script memberUrls() {
        Script s = new Script("member peer URLs refused (10.5)");
        for (String url : List.of("10.0.0.1:2380", "not a url", "http://a b:1", "%zz", ":2380",
                "http://127.0.0.1:abc", "http://[::1:2380", "http://127.0.0.1", "http://h:1/p",
                "ftp://h:1", " http://h:1/x ", "http://h:1#%zz", "http://u^@h:1", "http://a:b:1",
                "http://h%41:1", "http://h:1/%2")) {
            s.send(RawRequest.of("POST", "/v2/members")
                .body("{\"peerURLs\":[\"" + url + "\"]}", "application/json"));
        }
        return s;
    }

    static Script otherEndpoints() {
        return new Script("machines, stats, version, health, members (10.1-10.5)")
            .get("/v2/machines").head("/v2/machines")
            .get("/v2/stats/self").get("/v2/stats/leader").get("/v2/stats/store")
            .get("/version").get("/health")
            .get("/v2/members").get("/v2/members/").get("/v2/members/leader")
            .get("/v2/auth/enable");
    }
}
