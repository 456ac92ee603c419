package io.v2store.it;

import java.util.List;

/** Spec 6 (watches, history, 401) and 8 (TTL, expiry, refresh). */
final class WatchTtlScripts {

    private WatchTtlScripts() {
    }

    static List<Script> all() {
        return List.of(historyWatches(), liveWatches(), ttl(), expiry(), historyTtl(), refresh(),
            historyCleared());
    }

    static Script historyWatches() {
        return new Script("watches answered from the history (6.1, 6.2)")
            .put("/v2/keys/wh/a", "value=1a")
            .get("/v2/keys/wh/a?wait=true&waitIndex={{last}}")
            .put("/v2/keys/wh/d/x", "value=dx")
            .put("/v2/keys/wh/d/y", "value=dy")
            .get("/v2/keys/wh/d?wait=true&recursive=true&waitIndex={{last}}")
            .get("/v2/keys/wh/d/x?wait=true&waitIndex={{last-1}}")
            .put("/v2/keys/wh/d/_h", "value=hidden")
            .get("/v2/keys/wh/d?wait=true&recursive=true&waitIndex={{last}}")
            .delete("/v2/keys/wh/d?recursive=true")
            .get("/v2/keys/wh/d/x/deeper?wait=true&waitIndex={{last}}")
            .get("/v2/keys/wh/d/x?wait=true&waitIndex={{last}}")
            .get("/v2/keys/wh?wait=true&recursive=true&waitIndex={{last}}")
            .get("/v2/keys/wh/a?wait=true&waitIndex={{last-4}}&recursive=false")
            .get("/v2/keys/wh/a?wait=true&waitIndex=abc")
            .get("/v2/keys/wh/a?wait=true&waitIndex=-1");
    }

    static Script liveWatches() {
        return new Script("watches that wait (6.2, 6.3)")
            .openWatch("key", "/v2/keys/wl/k?wait=true")
            .put("/v2/keys/wl/k", "value=v1")
            .finishWatch("key")
            .openWatch("rec", "/v2/keys/wl?wait=true&recursive=true")
            .put("/v2/keys/wl/_hidden", "value=h")
            .put("/v2/keys/wl/sub/_hidden", "value=h")
            .put("/v2/keys/wl/sub/seen", "value=s")
            .finishWatch("rec")
            .openWatch("hiddenItself", "/v2/keys/wl/_hidden?wait=true")
            .put("/v2/keys/wl/_hidden", "value=h2")
            .finishWatch("hiddenItself")
            .openWatch("child", "/v2/keys/wl/sub/seen?wait=true")
            .delete("/v2/keys/wl/sub?recursive=true")
            .finishWatch("child")
            .openWatch("future", "/v2/keys/wl/f?wait=true&waitIndex={{100000}}")
            .put("/v2/keys/wl/f", "value=too-early")
            .put("/v2/keys/wl/g", "value=other")
            .get("/v2/keys/wl/f")
            .openWatch("dirOnly", "/v2/keys/wl/nd?wait=true")
            .put("/v2/keys/wl/nd/child", "value=not-for-non-recursive")
            .put("/v2/keys/wl/nd?dir=true&prevExist=true&ttl=100")
            .finishWatch("dirOnly")
            .openWatch("cas", "/v2/keys/wl/c?wait=true")
            .put("/v2/keys/wl/c?prevExist=false", "value=created")
            .finishWatch("cas");
    }

    static Script ttl() {
        return new Script("TTL reporting and removal (8.1, 8.2, 8.4)")
            .put("/v2/keys/ttl/a?ttl=100", "value=x")
            .get("/v2/keys/ttl/a")
            .get("/v2/keys/ttl?recursive=true")
            .put("/v2/keys/ttl/a", "value=no-ttl-now")
            .get("/v2/keys/ttl/a")
            .put("/v2/keys/ttl/b", "value=b&ttl=100")
            .put("/v2/keys/ttl/b?prevExist=true", "value=updated")
            .put("/v2/keys/ttl/c?ttl=100&prevExist=false", "value=c")
            .put("/v2/keys/ttl/c?prevValue=c", "value=cas")
            .post("/v2/keys/ttl/q?ttl=100", "value=q")
            .put("/v2/keys/ttl/d?dir=true&ttl=100")
            .get("/v2/keys/ttl/d")
            .put("/v2/keys/ttl/d?dir=true&prevExist=true")
            .get("/v2/keys/ttl/d");
    }

    static Script expiry() {
        return new Script("expiry (8.3) seen by a waiting watch and in the history")
            .put("/v2/keys/exp/dir/child", "value=c")
            .put("/v2/keys/exp/dir?dir=true&prevExist=true&ttl=1")
            .openWatch("child", "/v2/keys/exp/dir/child?wait=true")
            .put("/v2/keys/exp/k?ttl=1", "value=short")
            .openWatch("key", "/v2/keys/exp/k?wait=true")
            .finishWatch("key")
            .finishWatch("child")
            .awaitStatus("/v2/keys/exp/k", 404)
            .awaitStatus("/v2/keys/exp/dir", 404)
            .put("/v2/keys/exp/zero?ttl=0", "value=now")
            .awaitStatus("/v2/keys/exp/zero", 404)
            .get("/v2/keys/exp/zero?wait=true&waitIndex={{last}}")
            .get("/v2/stats/store");
    }

    /**
     * An event keeps the ttl it was made with (6.4: the same body the writer got): read from the
     * history seconds later, a set still shows its ttl as of the write, and an expire event's
     * prevNode still shows none. Each expired gate key lets 2 s pass without a sleep.
     */
    static Script historyTtl() {
        return new Script("events from the history keep the ttl they were made with (6.4)")
            .put("/v2/keys/ht/t?ttl=30", "value=t")
            .put("/v2/keys/ht/gate?ttl=2", "value=g")
            .awaitStatus("/v2/keys/ht/gate", 404)
            .put("/v2/keys/ht/gate2?ttl=2", "value=g2")
            .awaitStatus("/v2/keys/ht/gate2", 404)
            .get("/v2/keys/ht/t?wait=true&waitIndex={{last-4}}")
            .get("/v2/keys/ht/gate?wait=true&waitIndex={{last-2}}");
    }

    static Script refresh() {
        return new Script("refresh (8.5): no value change, no watcher woken")
            .put("/v2/keys/rf/k?ttl=100", "value=keep")
            .put("/v2/keys/rf/k?refresh=true&prevExist=true&ttl=200")
            .get("/v2/keys/rf/k")
            .put("/v2/keys/rf/k?refresh=true&prevValue=keep&ttl=300")
            .put("/v2/keys/rf/k?refresh=true&prevValue=wrong&ttl=300")
            .put("/v2/keys/rf/k?refresh=true&ttl=400")
            .put("/v2/keys/rf/missing?refresh=true&prevExist=true&ttl=5")
            .put("/v2/keys/rf/missing?refresh=true&ttl=5")
            .put("/v2/keys/rf/created?refresh=true&prevExist=false&ttl=100")
            .openWatch("w", "/v2/keys/rf/k?wait=true")
            .put("/v2/keys/rf/k?refresh=true&prevExist=true&ttl=500")
            .put("/v2/keys/rf/k", "value=real-change")
            .finishWatch("w")
            .put("/v2/keys/rf/r", "value=r")
            .put("/v2/keys/rf/r?refresh=true&prevExist=true&ttl=100")
            .put("/v2/keys/rf/r2", "value=after")
            .get("/v2/keys/rf?wait=true&recursive=true&waitIndex={{last-1}}");
    }

    static Script historyCleared() {
        return new Script("event history of 1000 and error 401 (6.2)")
            .put("/v2/keys/hc/first", "value=f")
            .repeat(1000, RawRequest.of("PUT", "/v2/keys/hc/spam").form("value=s"))
            .get("/v2/keys/hc/first?wait=true&waitIndex={{1}}")
            .get("/v2/keys/hc?wait=true&recursive=true&waitIndex={{last-999}}")
            .get("/v2/keys/hc?wait=true&recursive=true&waitIndex={{last-1000}}")
            .get("/v2/keys/hc?wait=true&recursive=true&waitIndex={{last}}");
    }
}
