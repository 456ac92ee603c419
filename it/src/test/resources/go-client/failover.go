// A Go program on etcd's own v2 client, given every member of a cluster, across the loss of the
// member it uses.
//
//	./failover URL1 URL2 URL3
//
// The client prefers the leader, as leader-aware programs set it up (it asks /v2/members/leader).
// Writes keys, parks a watch, prints "phase 1 done, leader at <client URL>" and waits for a line
// on stdin (the caller kills the leader meanwhile), then writes more keys through the same client,
// which must move to another member by itself, and prints one JSON line: what was acknowledged,
// what errors the writes met, what a read of the whole directory returned, and what the parked
// watch received.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"time"

	"go.etcd.io/etcd/client"
)

func main() {
	c, err := client.New(client.Config{
		Endpoints:               os.Args[1:],
		Transport:               client.DefaultTransport,
		HeaderTimeoutPerRequest: 5 * time.Second,
		SelectionMode:           client.EndpointSelectionPrioritizeLeader,
	})
	if err != nil {
		fmt.Println("client:", err)
		os.Exit(1)
	}
	keys := client.NewKeysAPI(c)
	acknowledged := []string{}
	failures := []string{}
	write := func(i int) {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		r, err := keys.Set(ctx, fmt.Sprintf("/failover/k%02d", i), fmt.Sprintf("v%d", i), nil)
		if err != nil {
			failures = append(failures, err.Error())
			return
		}
		acknowledged = append(acknowledged, r.Node.Key)
	}
	for i := 0; i < 20; i++ {
		write(i)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	r, err := keys.Get(ctx, "/failover", nil)
	cancel()
	if err != nil {
		fmt.Println("read:", err)
		os.Exit(1)
	}
	watcher := keys.Watcher("/failover", &client.WatcherOptions{AfterIndex: r.Index, Recursive: true})
	watched := make(chan []string, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		e, err := watcher.Next(ctx)
		if err != nil {
			watched <- []string{"error", err.Error()}
			return
		}
		watched <- []string{e.Action, e.Node.Key, e.Node.Value}
	}()
	// The member the client pinned, by the library's own lookup; the caller checks it is the leader.
	ctx, cancel = context.WithTimeout(context.Background(), 5*time.Second)
	leader, err := client.NewMembersAPI(c).Leader(ctx)
	cancel()
	if err != nil {
		fmt.Println("leader:", err)
		os.Exit(1)
	}
	fmt.Println("phase 1 done, leader at", leader.ClientURLs[0])
	bufio.NewReader(os.Stdin).ReadString('\n')

	for i := 20; i < 40; i++ {
		write(i)
	}
	event := <-watched
	ctx, cancel = context.WithTimeout(context.Background(), 20*time.Second)
	r, err = keys.Get(ctx, "/failover", &client.GetOptions{Recursive: true, Quorum: true})
	cancel()
	listed := []string{}
	if err != nil {
		failures = append(failures, "read: "+err.Error())
	} else {
		for _, n := range r.Node.Nodes {
			listed = append(listed, n.Key)
		}
		sort.Strings(listed)
	}
	out, _ := json.Marshal(map[string]interface{}{"acknowledged": acknowledged, "errors": failures,
		"listed": listed, "watch": event})
	fmt.Println(string(out))
}
