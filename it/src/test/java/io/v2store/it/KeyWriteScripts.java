package io.v2store.it;

import java.util.List;

/** Spec 3 (JSON), 4 (reads), 5.1-5.3 (PUT table, POST, DELETE), 2.3 (hidden) and 9 (directories). */
final class KeyWriteScripts {

    private KeyWriteScripts() {
    }

    static List<Script> all() {
        return List.of(reads(), set(), create(), update(), compareAndSwap(), inOrder(), deletes(),
            compareAndDelete(), directories(), hidden(), noValueOnSuccess());
    }

    static Script reads() {
        return new Script("GET and HEAD (3, 4)")
            .get("/v2/keys/rd/a/b/c")
            .put("/v2/keys/rd/a", "value=1x")
            .get("/v2/keys/rd/a/b/c")
            .get("/v2/keys/rd/a/b")
            .put("/v2/keys/rd/d/e", "value=e")
            .put("/v2/keys/rd/d/f/g", "value=g")
            .put("/v2/keys/rd/d/empty?dir=true")
            .get("/v2/keys/rd/d")
            .get("/v2/keys/rd/d?recursive=true")
            .get("/v2/keys/rd/d?recursive=true&sorted=true")
            .get("/v2/keys/rd/d/e?recursive=true")
            .get("/v2/keys/rd/d/empty")
            .get("/v2/keys/rd/d?wait=false&waitIndex=5&stream=true")
            .get("/v2/keys/rd/d/e?quorum=true")
            .head("/v2/keys/rd/d/e")
            .head("/v2/keys/rd/nothing")
            .head("/v2/keys/rd/d?recursive=true");
    }

    static Script set() {
        return new Script("PUT set row (5.1)")
            .put("/v2/keys/st/k", "value=one")
            .put("/v2/keys/st/k", "value=two")
            .get("/v2/keys/st/k")
            .put("/v2/keys/st/k/below", "value=x")
            .put("/v2/keys/st/k?dir=true", "value=ignored")
            .put("/v2/keys/st/k", "value=ontodir")
            .put("/v2/keys/st/k?dir=true")
            .put("/v2/keys/st/new?dir=true&value=ignored")
            .put("/v2/keys/st/deep/er/key", "value=implicit")
            .get("/v2/keys/st/deep?recursive=true")
            .put("/v2/keys/", "value=root")
            .put("/v2/keys", "value=root")
            .put("/v2/keys/st/k2?prevIndex=0", "value=zero-is-not-given")
            .put("/v2/keys/st/nov");
    }

    static Script create() {
        return new Script("PUT prevExist=false create row (5.1)")
            .put("/v2/keys/cr/a?prevExist=false", "value=a")
            .put("/v2/keys/cr/a?prevExist=false", "value=again")
            .put("/v2/keys/cr/d?prevExist=false&dir=true")
            .put("/v2/keys/cr/d?prevExist=false&dir=true")
            .put("/v2/keys/cr/a?prevExist=false&prevValue=a", "value=casignored")
            .put("/v2/keys/cr/b?prevExist=false&prevValue=zz&prevIndex=99999", "value=ignored-compare")
            .put("/v2/keys/?prevExist=false", "value=root")
            .put("/v2/keys/cr/a/x?prevExist=false", "value=through");
    }

    static Script update() {
        return new Script("PUT prevExist=true update row (5.1)")
            .put("/v2/keys/up/missing?prevExist=true", "value=x")
            .put("/v2/keys/up/k", "value=orig")
            .put("/v2/keys/up/k?prevExist=true", "value=new")
            .put("/v2/keys/up/k?prevExist=true")
            .get("/v2/keys/up/k")
            .put("/v2/keys/up/k?prevExist=true&ttl=100")
            .put("/v2/keys/up/d?dir=true")
            .put("/v2/keys/up/d?prevExist=true&dir=true&ttl=100")
            .get("/v2/keys/up/d")
            .put("/v2/keys/up/d?prevExist=true", "value=notallowed")
            .put("/v2/keys/up/d?prevExist=true")
            .put("/v2/keys/?prevExist=true", "value=root")
            .put("/v2/keys/up/k/x?prevExist=true", "value=through");
    }

    static Script compareAndSwap() {
        return new Script("compare-and-swap rows (5.1)")
            .put("/v2/keys/cas/k", "value=aa")
            .put("/v2/keys/cas/k?prevExist=true&prevValue=aa", "value=bb")
            .put("/v2/keys/cas/k?prevExist=true&prevValue=zz", "value=cc")
            .put("/v2/keys/cas/k?prevValue=bb", "value=cc")
            .put("/v2/keys/cas/k?prevValue=zz", "value=dd")
            .put("/v2/keys/cas/k?prevIndex={{1}}", "value=dd")
            .put("/v2/keys/cas/k?prevIndex={{last}}", "value=dd")
            .put("/v2/keys/cas/k?prevIndex={{last}}&prevValue=dd")
            .put("/v2/keys/cas/k?prevIndex={{1}}&prevValue=zz", "value=ee")
            .put("/v2/keys/cas/k?prevIndex={{1}}&prevValue=", "value=ee")
            .put("/v2/keys/cas/k?prevIndex={{last}}&prevValue=zz", "value=ee")
            .put("/v2/keys/cas/k?prevIndex={{1}}&prevValue=", "value=ee")
            .get("/v2/keys/cas/k")
            .put("/v2/keys/cas/k?prevIndex={{last}}&ttl=100", "value=withttl")
            .put("/v2/keys/cas/k?prevValue=withttl", "value=nottl")
            .put("/v2/keys/cas/missing?prevValue=x", "value=y")
            .put("/v2/keys/cas?prevValue=x", "value=y")
            .put("/v2/keys/?prevValue=x", "value=y")
            .put("/v2/keys/?prevIndex={{1}}", "value=y")
            .put("/v2/keys/cas?prevExist=true&prevIndex={{1}}", "value=y")
            .put("/v2/keys/cas/k?prevExist=false&prevValue=nottl", "value=create-wins");
    }

    static Script inOrder() {
        return new Script("POST in-order keys (5.2)")
            .post("/v2/keys/io/q", "value=first")
            .post("/v2/keys/io/q", "value=second")
            .post("/v2/keys/io/q?dir=true", "")
            .post("/v2/keys/io/q?prevExist=true&prevValue=x&prevIndex=5&refresh=false", "value=ignored-params")
            .send(RawRequest.of("POST", "/v2/keys/io/q"))
            .get("/v2/keys/io/q?sorted=true")
            .get("/v2/keys/io/q?recursive=true&sorted=true")
            .put("/v2/keys/io/key", "value=k")
            .post("/v2/keys/io/key", "value=into-key")
            .post("/v2/keys/", "value=at-root")
            .post("/v2/keys/io/q?ttl=100", "value=ttl");
    }

    static Script deletes() {
        return new Script("DELETE (5.3)")
            .delete("/v2/keys/")
            .delete("/v2/keys/?recursive=true")
            .delete("/v2/keys/?dir=true")
            .delete("/v2/keys/del/missing/deeper")
            .put("/v2/keys/del/k", "value=v")
            .delete("/v2/keys/del/k?dir=true")
            .put("/v2/keys/del/d/child", "value=c")
            .put("/v2/keys/del/e?dir=true")
            .delete("/v2/keys/del/d")
            .delete("/v2/keys/del/d?dir=true")
            .delete("/v2/keys/del/e?dir=true")
            .delete("/v2/keys/del/d?recursive=true")
            .get("/v2/keys/del/d")
            .put("/v2/keys/del/r/a/b", "value=deep")
            .delete("/v2/keys/del/r?recursive=true&dir=true")
            .put("/v2/keys/del/k2", "value=v2")
            .delete("/v2/keys/del/k2?recursive=true")
            .delete("/v2/keys/del/k2/x");
    }

    static Script compareAndDelete() {
        return new Script("compare-and-delete (5.3)")
            .put("/v2/keys/cad/k", "value=vv")
            .delete("/v2/keys/cad/k?prevValue=zz")
            .delete("/v2/keys/cad/k?prevIndex={{1}}")
            .delete("/v2/keys/cad/k?prevIndex={{1}}&prevValue=zz")
            .delete("/v2/keys/cad/k?prevIndex={{1}}&prevValue=vv")
            .delete("/v2/keys/cad/k?prevValue=vv")
            .put("/v2/keys/cad/j", "value=jj")
            .delete("/v2/keys/cad/j?prevIndex={{last}}")
            .delete("/v2/keys/cad/missing?prevValue=x")
            .put("/v2/keys/cad/d?dir=true")
            .delete("/v2/keys/cad/d?prevValue=x&recursive=true")
            .delete("/v2/keys/?prevValue=x")
            .delete("/v2/keys/?prevIndex={{1}}");
    }

    static Script directories() {
        return new Script("directories (9) and TTL on a directory")
            .put("/v2/keys/dir/a?dir=true")
            .put("/v2/keys/dir/a?dir=true")
            .put("/v2/keys/dir/a", "value=x")
            .put("/v2/keys/dir/k", "value=k")
            .put("/v2/keys/dir/k?dir=true")
            .get("/v2/keys/dir?recursive=true&sorted=true")
            .put("/v2/keys/dir/t?dir=true&ttl=100")
            .get("/v2/keys/dir/t")
            .put("/v2/keys/dir/t?dir=true&prevExist=true")
            .get("/v2/keys/dir/t");
    }

    static Script hidden() {
        return new Script("hidden nodes (2.3)")
            .put("/v2/keys/hid/_secret", "value=s")
            .put("/v2/keys/hid/visible", "value=v")
            .put("/v2/keys/hid/_hdir/inner", "value=i")
            .put("/v2/keys/hid/sub/_deep", "value=d")
            .get("/v2/keys/hid")
            .get("/v2/keys/hid?recursive=true&sorted=true")
            .get("/v2/keys/hid/_secret")
            .get("/v2/keys/hid/_hdir")
            .delete("/v2/keys/hid/_secret")
            .get("/v2/keys/hid?recursive=true");
    }

    static Script noValueOnSuccess() {
        return new Script("noValueOnSuccess (3.2)")
            .put("/v2/keys/nv/a?noValueOnSuccess=true", "value=x")
            .put("/v2/keys/nv/a?noValueOnSuccess=true", "value=y")
            .put("/v2/keys/nv/b?noValueOnSuccess=true&prevExist=false", "value=x")
            .put("/v2/keys/nv/a?noValueOnSuccess=true&prevExist=true", "value=z")
            .put("/v2/keys/nv/a?noValueOnSuccess=true&prevValue=z", "value=w")
            .send(RawRequest.of("PUT", "/v2/keys/nv/c").form("value=body&noValueOnSuccess=true"))
            .delete("/v2/keys/nv/a?noValueOnSuccess=true")
            .get("/v2/keys/nv/b?noValueOnSuccess=true")
            .post("/v2/keys/nv/q?noValueOnSuccess=true", "value=p");
    }
}
