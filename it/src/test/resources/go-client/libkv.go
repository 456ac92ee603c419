// A session with Docker's libkv (github.com/docker/libkv, its etcd store), the key-value layer
// through which Docker's classic overlay networks (`dockerd --cluster-store=etcd://...`) and
// Swarm's node discovery kept their state in etcd's v2 API, printed as a transcript that does not
// depend on the server.
//
// Built by the test with Debian's golang-go, golang-docker-libkv-dev and golang-etcd-server-dev,
// in GOPATH mode:
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go build -o libkv libkv.go
//	./libkv http://127.0.0.1:2379
//
// Each line is one call of the library and what it returned, indexes relative to the session's
// first write. The watch and the locks wait for what they must see, each with a deadline.
package main

import (
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/docker/libkv"
	"github.com/docker/libkv/store"
	"github.com/docker/libkv/store/etcd"
)

var (
	kv      store.Store
	base    uint64
	bracket = regexp.MustCompile(`\[[^\]]*\]`)
	number  = regexp.MustCompile(`\b\d+\b`)
)

func rel(index uint64) string {
	return strconv.FormatInt(int64(index)-int64(base), 10)
}

// An error as the library gives it, indexes in brackets made relative to the first write.
func failure(err error) string {
	return bracket.ReplaceAllStringFunc(err.Error(), func(b string) string {
		return number.ReplaceAllStringFunc(b, func(n string) string {
			v, _ := strconv.ParseUint(n, 10, 64)
			if v < base {
				return n
			}
			return "{" + rel(v) + "}"
		})
	})
}

func pair(p *store.KVPair) string {
	if p == nil {
		return "nil"
	}
	return fmt.Sprintf("{key=%s value=%q index=%s}", p.Key, p.Value, rel(p.LastIndex))
}

func pairs(ps []*store.KVPair) string {
	var parts []string
	for _, p := range ps {
		parts = append(parts, pair(p))
	}
	return "[" + strings.Join(parts, " ") + "]"
}

func result(name string, err error, ok string) {
	if err != nil {
		fmt.Printf("%s: error %s\n", name, failure(err))
		return
	}
	fmt.Printf("%s: %s\n", name, ok)
}

func get(k string) *store.KVPair {
	p, err := kv.Get(k)
	result("get "+k, err, pair(p))
	return p
}

// The lock's key by value alone: its index moves with the number of refreshes, a matter of time.
func holder(k string) {
	p, err := kv.Get(k)
	if err != nil {
		result("get "+k, err, "")
		return
	}
	fmt.Printf("get %s: value=%q\n", k, p.Value)
}

func fail(format string, args ...interface{}) {
	fmt.Printf("FAILED: "+format+"\n", args...)
	os.Exit(1)
}

// Swarm's discovery: each node a key with a TTL under one directory, listed and watched.
func discovery() {
	ttl := &store.WriteOptions{TTL: 20 * time.Second}
	result("put node 1", kv.Put("docker/swarm/nodes/10.0.0.1:2375", []byte("10.0.0.1:2375"), ttl), "ok")
	first, err := kv.Get("docker/swarm/nodes/10.0.0.1:2375")
	if err != nil {
		fail("get after the first put: %v", err)
	}
	base = first.LastIndex
	get("docker/swarm/nodes/10.0.0.1:2375")
	result("put node 2", kv.Put("docker/swarm/nodes/10.0.0.2:2375", []byte("10.0.0.2:2375"), ttl), "ok")
	list, err := kv.List("docker/swarm/nodes")
	result("list nodes", err, pairs(list))
	list, err = kv.List("docker/swarm/none")
	result("list a missing directory", err, pairs(list))
	for _, k := range []string{"docker/swarm/nodes/10.0.0.2:2375", "docker/swarm/nodes/10.0.0.9:2375", "docker/swarm/nodes"} {
		ok, err := kv.Exists(k)
		result("exists "+k, err, strconv.FormatBool(ok))
	}
	get("docker/swarm/none")
	result("put a directory", kv.Put("docker/swarm/dir", nil, &store.WriteOptions{IsDir: true}), "ok")
	result("put over the directory", kv.Put("docker/swarm/dir", []byte("x"), nil), "ok")
	result("delete a missing key", kv.Delete("docker/swarm/nodes/10.0.0.9:2375"), "ok")
	result("delete node 2", kv.Delete("docker/swarm/nodes/10.0.0.2:2375"), "ok")
	list, err = kv.List("docker/swarm/nodes")
	result("list nodes", err, pairs(list))
	result("delete the tree", kv.DeleteTree("docker/swarm"), "ok")
	result("delete the tree again", kv.DeleteTree("docker/swarm"), "ok")
	list, err = kv.List("docker/swarm/nodes")
	result("list nodes", err, pairs(list))
}

// libnetwork's objects: written with AtomicPut and AtomicDelete against the index they last read.
func atomics() {
	k := "docker/network/v1.0/network/n1"
	ok, created, err := kv.AtomicPut(k, []byte(`{"name":"n1"}`), nil, nil)
	result("atomic create", err, fmt.Sprintf("%v %s", ok, pair(created)))
	ok, p, err := kv.AtomicPut(k, []byte(`{"name":"n1"}`), nil, nil)
	result("atomic create again", err, fmt.Sprintf("%v %s", ok, pair(p)))
	ok, updated, err := kv.AtomicPut(k, []byte(`{"name":"n1","v":2}`), created, nil)
	result("atomic update", err, fmt.Sprintf("%v %s", ok, pair(updated)))
	ok, p, err = kv.AtomicPut(k, []byte(`{"name":"n1","v":3}`), created, nil)
	result("atomic update from a stale read", err, fmt.Sprintf("%v %s", ok, pair(p)))
	ok, p, err = kv.AtomicPut(k+"-missing", []byte("x"), created, nil)
	result("atomic update of a missing key", err, fmt.Sprintf("%v %s", ok, pair(p)))
	ok, err = kv.AtomicDelete(k, created)
	result("atomic delete from a stale read", err, strconv.FormatBool(ok))
	ok, err = kv.AtomicDelete(k, nil)
	result("atomic delete without a read", err, strconv.FormatBool(ok))
	ok, err = kv.AtomicDelete(k, updated)
	result("atomic delete", err, strconv.FormatBool(ok))
	ok, err = kv.AtomicDelete(k, updated)
	result("atomic delete again", err, strconv.FormatBool(ok))
	ok, p, err = kv.AtomicPut(k, []byte("short-lived"), nil, &store.WriteOptions{TTL: 30 * time.Second})
	result("atomic create with a TTL", err, fmt.Sprintf("%v %s", ok, pair(p)))
	result("delete the tree", kv.DeleteTree("docker/network"), "ok")
}

// Writes put(1), put(2)... until seen reports (within its wait) that the watch has a value: at
// most 100 writes.
func writeUntil(what string, put func(i int) error, seen func(wait time.Duration) bool) {
	for i := 1; i <= 100; i++ {
		if err := put(i); err != nil {
			fail("%s: write %d: %v", what, i, err)
		}
		if seen(200 * time.Millisecond) {
			return
		}
	}
	fail("%s saw none of 100 writes", what)
}

// A watch gives the current value, then a later one. libkv parks its watch without an index, so a
// write can land before the watch is parked: the writer writes again until the watch has one.
func watches() {
	k := "docker/network/v1.0/endpoint/e1"
	result("put", kv.Put(k, []byte("v0"), nil), "ok")
	stop := make(chan struct{})
	defer close(stop)
	ch, err := kv.Watch(k, stop)
	if err != nil {
		fail("watch: %v", err)
	}
	select {
	case p := <-ch:
		fmt.Printf("watch, first: value=%q\n", p.Value)
	case <-time.After(20 * time.Second):
		fail("watch gave no current value")
	}
	var seen *store.KVPair
	writeUntil("the watch", func(i int) error { return kv.Put(k, []byte("v"+strconv.Itoa(i)), nil) },
		func(wait time.Duration) bool {
			select {
			case seen = <-ch:
				return true
			case <-time.After(wait):
				return false
			}
		})
	latest, _ := kv.Get(k)
	fmt.Printf("watch, next: a later value %v, not newer than the key's %v\n", string(seen.Value) != "v0",
		seen.LastIndex <= latest.LastIndex)

	treeStop := make(chan struct{})
	defer close(treeStop)
	tree, err := kv.WatchTree("docker/network/v1.0/endpoint", treeStop)
	if err != nil {
		fail("watch tree: %v", err)
	}
	select {
	case l := <-tree:
		fmt.Printf("watch tree, first: %d keys, a later value %v\n", len(l), string(l[0].Value) != "v0")
	case <-time.After(20 * time.Second):
		fail("watch tree gave no listing")
	}
	var grown []*store.KVPair
	writeUntil("the tree watch", func(i int) error {
		return kv.Put("docker/network/v1.0/endpoint/x"+strconv.Itoa(i), []byte("x"), nil)
	}, func(wait time.Duration) bool {
		select {
		case grown = <-tree:
			return true
		case <-time.After(wait):
			return false
		}
	})
	fmt.Printf("watch tree, next: more keys %v, e1 first %v\n", len(grown) > 1, strings.HasSuffix(grown[0].Key, "/e1"))
	result("delete the tree", kv.DeleteTree("docker/network"), "ok")
}

func lockOrFail(name string, l store.Locker) <-chan struct{} {
	lost, err := l.Lock(nil)
	if err != nil {
		fail("%s: lock: %v", name, err)
	}
	return lost
}

// A lock is a key created with prevExist=false and a TTL, refreshed with prevIndex every third of
// it. A second holder waits on a watch for the key's delete or expiry.
func locks() {
	k := "docker/swarm/leader"
	opts := func(v string, renew chan struct{}) *store.LockOptions {
		return &store.LockOptions{Value: []byte(v), TTL: 2 * time.Second, RenewLock: renew}
	}
	a, _ := kv.NewLock(k, opts("a", nil))
	b, _ := kv.NewLock(k, opts("b", nil))
	aLost := lockOrFail("a", a)
	held, err := kv.Get(k)
	if err != nil {
		fail("the lock's key: %v", err)
	}
	holder(k)
	fmt.Println("a holds the lock")
	bHas := make(chan (<-chan struct{}), 1)
	go func() { bHas <- lockOrFail("b", b) }()
	// Held past its TTL by a's refreshes: b must not have it, nor a have lost it.
	select {
	case <-bHas:
		fail("b took the lock while a held it")
	case <-aLost:
		fail("a lost the lock while holding it")
	case <-time.After(5 * time.Second):
	}
	now, err := kv.Get(k)
	if err != nil {
		fail("the lock's key after 5 s: %v", err)
	}
	fmt.Printf("after 5 s: value %q, refreshed %v\n", now.Value, now.LastIndex > held.LastIndex)
	result("a unlocks", a.Unlock(), "ok")
	var bLost <-chan struct{}
	select {
	case bLost = <-bHas:
		fmt.Println("b holds the lock after a's unlock")
	case <-time.After(20 * time.Second):
		fail("b did not get the lock after a's unlock")
	}
	holder(k)
	select {
	case <-bLost:
		fail("b lost the lock it had just taken")
	default:
	}
	result("b unlocks", b.Unlock(), "ok")
	holder(k)

	// A holder that stops refreshing (its renew channel closed) loses the lock when the key
	// expires, and the waiter gets it.
	renew := make(chan struct{})
	c, _ := kv.NewLock(k, opts("c", renew))
	d, _ := kv.NewLock(k, opts("d", nil))
	cLost := lockOrFail("c", c)
	fmt.Println("c holds the lock")
	dHas := make(chan (<-chan struct{}), 1)
	go func() { dHas <- lockOrFail("d", d) }()
	close(renew)
	select {
	case <-cLost:
		fmt.Println("c's lost channel closed")
	case <-time.After(20 * time.Second):
		fail("c's lost channel still open")
	}
	select {
	case <-dHas:
		fmt.Println("d holds the lock after c's key expired")
	case <-time.After(20 * time.Second):
		fail("d did not get the lock after c's key expired")
	}
	holder(k)
	result("d unlocks", d.Unlock(), "ok")
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: libkv http://host:port")
		os.Exit(2)
	}
	// libkv takes host:port, as dockerd's --cluster-store=etcd://host:port gives it
	endpoint := strings.TrimSuffix(strings.TrimPrefix(os.Args[1], "http://"), "/")
	etcd.Register()
	var err error
	kv, err = libkv.NewStore(store.ETCD, []string{endpoint}, &store.Config{ConnectionTimeout: 5 * time.Second})
	if err != nil {
		fail("new store: %v", err)
	}
	discovery()
	atomics()
	watches()
	locks()
	fmt.Println("end of session")
}
