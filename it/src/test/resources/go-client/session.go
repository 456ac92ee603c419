// A Go program's session with etcd's own v2 client (go.etcd.io/etcd/client, the library of confd,
// flannel, SkyDNS, locksmith and etcdctl v2), printed as a transcript that does not depend on the
// server.
//
// Built by the test with Debian's golang-go and golang-etcd-server-dev, in GOPATH mode:
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go build -o session session.go
//	./session http://127.0.0.1:2379
//
// Each line is one call of the library and what it returned. Indexes are printed relative to the
// session's first write, ports, member ids and in-order keys as placeholders, and TTLs by the
// hundred they fall in, so that the transcript against etcd and against another server must be
// the same line for line. The client is set up as those programs set it up, with a header timeout
// per request (1 s here), from which this client exempts its watches: one watch here waits longer.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.etcd.io/etcd/client"
)

var (
	keys    client.KeysAPI
	members client.MembersAPI
	cli     client.Client
	base    uint64
	ports   = regexp.MustCompile(`:\d+`)
	inOrder = regexp.MustCompile(`/(\d{20})$`)
	bracket = regexp.MustCompile(`\[[^\]]*\]`)
	number  = regexp.MustCompile(`\b\d+\b`)
)

func rel(index uint64) string {
	if base == 0 {
		return "-"
	}
	if index == 0 {
		return "0" // no index: an error found before the request reached the store
	}
	return strconv.FormatInt(int64(index)-int64(base), 10)
}

func key(name string) string {
	if base == 0 {
		return name
	}
	return inOrder.ReplaceAllStringFunc(name, func(m string) string {
		n, _ := strconv.ParseUint(m[1:], 10, 64)
		return "/<in-order " + rel(n) + ">"
	})
}

// A TTL read back seconds after it was set has lost some of them: the hundred it falls in.
func ttl(seconds int64) string {
	if seconds == 0 {
		return "none"
	}
	return "<=" + strconv.FormatInt((seconds+99)/100*100, 10)
}

// Indexes quoted in a cause ("[8 != 10]", "[24/5]"), relative to the first write.
func cause(text string) string {
	if base == 0 {
		return text
	}
	return bracket.ReplaceAllStringFunc(text, func(b string) string {
		return number.ReplaceAllStringFunc(b, func(n string) string {
			v, _ := strconv.ParseUint(n, 10, 64)
			if v < base {
				return n
			}
			return "{" + rel(v) + "}"
		})
	})
}

func value(v string) string {
	if len(v) > 64 {
		return fmt.Sprintf("<%d bytes of %q>", len(v), v[:1])
	}
	return strconv.Quote(v)
}

func node(n *client.Node, indent string) string {
	if n == nil {
		return "nil"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "{key=%s dir=%v value=%s ttl=%s expiration=%v modified=%s created=%s",
		key(n.Key), n.Dir, value(n.Value), ttl(n.TTL), n.Expiration != nil, rel(n.ModifiedIndex),
		rel(n.CreatedIndex))
	if n.Nodes != nil {
		b.WriteString(" nodes=[")
		for _, c := range n.Nodes {
			b.WriteString("\n" + indent + "  " + node(c, indent+"  "))
		}
		b.WriteString("]")
	}
	b.WriteString("}")
	return b.String()
}

func show(r *client.Response) string {
	return fmt.Sprintf("action=%s index=%s cluster-id=%v node=%s prev=%s", r.Action, rel(r.Index),
		r.ClusterID != "", node(r.Node, ""), node(r.PrevNode, ""))
}

func failure(err error) string {
	var e client.Error
	if errors.As(err, &e) {
		return fmt.Sprintf("error code=%d message=%q cause=%q index=%s not-found=%v", e.Code, e.Message,
			cause(e.Cause), rel(e.Index), client.IsKeyNotFound(err))
	}
	return "error " + ports.ReplaceAllString(err.Error(), ":<port>")
}

func step(name string, call func() (*client.Response, error)) *client.Response {
	r, err := call()
	if err != nil {
		fmt.Printf("%s: %s\n", name, failure(err))
		return nil
	}
	fmt.Printf("%s: %s\n", name, show(r))
	return r
}

// One call of the library with a deadline.
func within(d time.Duration, call func(context.Context) (*client.Response, error)) func() (*client.Response, error) {
	return func() (*client.Response, error) {
		c, cancel := context.WithTimeout(context.Background(), d)
		defer cancel()
		return call(c)
	}
}

func set(k, v string, o *client.SetOptions) func() (*client.Response, error) {
	return within(5*time.Second, func(c context.Context) (*client.Response, error) { return keys.Set(c, k, v, o) })
}

func get(k string, o *client.GetOptions) func() (*client.Response, error) {
	return within(5*time.Second, func(c context.Context) (*client.Response, error) { return keys.Get(c, k, o) })
}

func del(k string, o *client.DeleteOptions) func() (*client.Response, error) {
	return within(5*time.Second, func(c context.Context) (*client.Response, error) { return keys.Delete(c, k, o) })
}

func next(w client.Watcher, d time.Duration) func() (*client.Response, error) {
	return within(d, w.Next)
}

// A call whose answer the transcript does not show: the session stops if it fails.
func must(call func() (*client.Response, error)) *client.Response {
	r, err := call()
	if err != nil {
		fmt.Println("unexpected:", failure(err))
		os.Exit(1)
	}
	return r
}

func cluster() {
	c, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	ms, err := members.List(c)
	if err != nil {
		fmt.Printf("members list: %s\n", failure(err))
	} else {
		for _, m := range ms {
			fmt.Printf("members list: name=%s id-set=%v peers=%v clients=%v\n", m.Name, m.ID != "",
				ports.ReplaceAllString(strings.Join(m.PeerURLs, ","), ":<port>"),
				ports.ReplaceAllString(strings.Join(m.ClientURLs, ","), ":<port>"))
		}
	}
	leader, err := members.Leader(c)
	if err != nil {
		fmt.Printf("members leader: %s\n", failure(err))
	} else {
		fmt.Printf("members leader: name=%s\n", leader.Name)
	}
	// What AutoSync does each round: the endpoints become the members' client URLs.
	if err := cli.Sync(c); err != nil {
		fmt.Printf("sync: %s\n", failure(err))
	} else {
		eps := cli.Endpoints()
		sort.Strings(eps)
		fmt.Printf("sync: endpoints=%s\n", ports.ReplaceAllString(strings.Join(eps, ","), ":<port>"))
	}
}

func keysSession() {
	step("get missing before any write", get("/go/missing", nil))
	if r := step("first write", set("/go/a", "one", nil)); r != nil {
		base = r.Node.ModifiedIndex
		fmt.Println("first write: index is the node's:", r.Index == base)
	} else {
		os.Exit(1)
	}
	step("get", get("/go/a", nil))
	step("get missing", get("/go/missing", nil))
	step("get quorum", get("/go/a", &client.GetOptions{Quorum: true}))
	step("set ttl", set("/go/ttl", "t", &client.SetOptions{TTL: 100 * time.Second}))
	step("refresh ttl", set("/go/ttl", "", &client.SetOptions{Refresh: true, TTL: 200 * time.Second,
		PrevExist: client.PrevExist}))
	step("refresh with a value", set("/go/ttl", "new", &client.SetOptions{Refresh: true,
		TTL: 200 * time.Second, PrevExist: client.PrevExist}))
	step("refresh without prevExist", set("/go/ttl", "", &client.SetOptions{Refresh: true,
		TTL: 100 * time.Second}))
	step("refresh missing", set("/go/gone", "", &client.SetOptions{Refresh: true, TTL: 100 * time.Second,
		PrevExist: client.PrevExist}))
	step("refresh without ttl", set("/go/ttl", "", &client.SetOptions{Refresh: true,
		PrevExist: client.PrevExist}))
	step("create", within(5*time.Second, func(c context.Context) (*client.Response, error) {
		return keys.Create(c, "/go/c", "x")
	}))
	step("create again", within(5*time.Second, func(c context.Context) (*client.Response, error) {
		return keys.Create(c, "/go/c", "y")
	}))
	step("update missing", within(5*time.Second, func(c context.Context) (*client.Response, error) {
		return keys.Update(c, "/go/missing", "x")
	}))
	step("update", within(5*time.Second, func(c context.Context) (*client.Response, error) {
		return keys.Update(c, "/go/a", "two")
	}))
	step("cas wrong value", set("/go/a", "three", &client.SetOptions{PrevValue: "nope"}))
	step("cas value", set("/go/a", "three", &client.SetOptions{PrevValue: "two"}))
	step("cas wrong index", set("/go/a", "four", &client.SetOptions{PrevIndex: base}))
	cur := step("get for cas", get("/go/a", nil))
	step("cas wrong value and index", set("/go/a", "four", &client.SetOptions{PrevValue: "nope", PrevIndex: base}))
	step("cas index", set("/go/a", "four", &client.SetOptions{PrevIndex: cur.Node.ModifiedIndex}))
	step("cas index on missing", set("/go/missing", "4", &client.SetOptions{PrevIndex: 5}))
	step("set no value on success", set("/go/nv", "v", &client.SetOptions{NoValueOnSuccess: true}))
	step("cas no value on success", set("/go/nv", "w", &client.SetOptions{PrevValue: "v",
		NoValueOnSuccess: true}))
	step("mkdir", set("/go/d", "", &client.SetOptions{Dir: true}))
	step("mkdir again", set("/go/d", "", &client.SetOptions{Dir: true}))
	step("mkdir exclusive again", set("/go/d", "", &client.SetOptions{Dir: true, PrevExist: client.PrevNoExist}))
	step("set value on dir", set("/go/d", "v", nil))
	step("set under dir", set("/go/d/x", "1", nil))
	step("set under a file", set("/go/a/x", "1", nil))
	step("dir ttl", set("/go/td", "", &client.SetOptions{Dir: true, TTL: 100 * time.Second}))
	step("dir ttl update", set("/go/td", "", &client.SetOptions{Dir: true, TTL: 200 * time.Second,
		PrevExist: client.PrevExist}))
	step("set root", set("/", "v", nil))
	step("in order", within(5*time.Second, func(c context.Context) (*client.Response, error) {
		return keys.CreateInOrder(c, "/go/q", "first", nil)
	}))
	step("in order ttl", within(5*time.Second, func(c context.Context) (*client.Response, error) {
		return keys.CreateInOrder(c, "/go/q", "second", &client.CreateInOrderOptions{TTL: 100 * time.Second})
	}))
	step("in order under a file", within(5*time.Second, func(c context.Context) (*client.Response, error) {
		return keys.CreateInOrder(c, "/go/a", "x", nil)
	}))
	step("get in order sorted", get("/go/q", &client.GetOptions{Sort: true}))
	for _, k := range []string{"/go/s/sp ace", "/go/s/uni-\u00e9\u6f22", "/go/s/pct%20x", "/go/s/q?x=1",
		"/go/s/h#x", "/go/s/amp&x", "/go/s/plus+x", "/go/s//double", "/go/s/dot/../up"} {
		step("set odd key "+strconv.Quote(k), set(k, k, nil))
	}
	step("get odd keys", get("/go/s", &client.GetOptions{Recursive: true, Sort: true}))
	step("odd value", set("/go/v", "a=b&c=%20+\u00e9\n\"", nil))
	step("get odd value", get("/go/v", nil))
	step("set hidden", set("/go/_hidden", "h", nil))
	step("get hidden", get("/go/_hidden", nil))
	big := strings.Repeat("b", 1<<20)
	step("set 1 MiB", set("/go/big", big, nil))
	step("get 1 MiB", get("/go/big", nil))
	step("get tree", get("/go", &client.GetOptions{Recursive: true, Sort: true}))
	step("get dir flat", get("/go", &client.GetOptions{Sort: true}))
	step("get dir quorum", get("/go/d", &client.GetOptions{Quorum: true, Recursive: true}))
	step("delete dir as a file", del("/go/d", nil))
	step("delete non-empty dir", del("/go/d", &client.DeleteOptions{Dir: true}))
	step("delete dir recursive", del("/go/d", &client.DeleteOptions{Recursive: true}))
	step("delete missing", del("/go/d", &client.DeleteOptions{Recursive: true}))
	step("delete empty dir", del("/go/td", &client.DeleteOptions{Dir: true}))
	step("cad wrong value", del("/go/c", &client.DeleteOptions{PrevValue: "nope"}))
	step("cad wrong index", del("/go/c", &client.DeleteOptions{PrevIndex: base}))
	step("cad value", del("/go/c", &client.DeleteOptions{PrevValue: "x"}))
	cur = step("get for cad", get("/go/nv", nil))
	step("cad index", del("/go/nv", &client.DeleteOptions{PrevIndex: cur.Node.ModifiedIndex}))
	step("delete root", del("/", &client.DeleteOptions{Recursive: true}))
}

func watches() {
	step("watch past index", next(keys.Watcher("/go/a", &client.WatcherOptions{AfterIndex: base}), 5*time.Second))
	step("watch recursive past index", next(keys.Watcher("/go", &client.WatcherOptions{AfterIndex: base + 1,
		Recursive: true}), 5*time.Second))
	step("watch times out", next(keys.Watcher("/go/quiet", nil), time.Second))
	step("watch index far ahead times out", next(keys.Watcher("/go/a",
		&client.WatcherOptions{AfterIndex: base + 100000}), time.Second))

	// A wait longer than the header timeout, for a write that comes while it waits.
	step("get before live watch", get("/go/live", nil))
	w := keys.Watcher("/go/live", &client.WatcherOptions{AfterIndex: must(get("/go", nil)).Index})
	go func() {
		time.Sleep(2500 * time.Millisecond)
		set("/go/live", "now", nil)() // the watch below shows what became of it
	}()
	step("watch live past the header timeout", next(w, 15*time.Second))

	// A recursive watcher that keeps going, as confd's does: each Next waits from the last event.
	w = keys.Watcher("/go/w", &client.WatcherOptions{AfterIndex: must(get("/go", nil)).Index, Recursive: true})
	must(set("/go/w/1", "one", nil))
	must(set("/go/w/2", "two", nil))
	must(del("/go/w/1", nil))
	must(set("/go/w/e", "soon gone", &client.SetOptions{TTL: time.Second}))
	must(set("/go/w/dir/deep", "d", nil))
	must(del("/go/w/dir", &client.DeleteOptions{Recursive: true}))
	for i := 1; i <= 7; i++ {
		step("watch recursive, event "+strconv.Itoa(i), next(w, 15*time.Second))
	}

	for i := 0; i < 1005; i++ {
		must(set("/go/churn", strconv.Itoa(i), nil))
	}
	step("watch cleared index", next(keys.Watcher("/go", &client.WatcherOptions{AfterIndex: base,
		Recursive: true}), 5*time.Second))
	// The history keeps the last 1,000 events: the edge, from either side.
	r := must(get("/go", nil))
	for _, back := range []uint64{999, 1000, 1001} {
		step("watch "+strconv.FormatUint(back, 10)+" events back", next(keys.Watcher("/go/churn",
			&client.WatcherOptions{AfterIndex: r.Index - back}), 5*time.Second))
	}
}

func main() {
	var err error
	cli, err = client.New(client.Config{
		Endpoints:               []string{os.Args[1]},
		Transport:               client.DefaultTransport,
		HeaderTimeoutPerRequest: time.Second,
	})
	if err != nil {
		fmt.Println("client:", err)
		os.Exit(1)
	}
	keys = client.NewKeysAPI(cli)
	members = client.NewMembersAPI(cli)
	cluster()
	keysSession()
	watches()
	fmt.Println("end of session")
}
