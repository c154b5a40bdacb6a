//go:build !linux

package outbox

import (
	"context"
	"net"
	"slices"
	"time"
)

// WatchNetwork reports network changes. Outside Linux it compares the
// machine's interface addresses once a minute (a cheap system call, no
// traffic): a new address means a network came up. Windows'
// NotifyIpInterfaceChange and macOS's SCNetworkReachability would tell at
// once; until they are wired, the back-off retries at 1, 2, 5, 10 and 30
// minutes and this minute check bring a waiting message out soon after
// the network returns.
func WatchNetwork(ctx context.Context) <-chan struct{} {
	out := make(chan struct{}, 1)
	go func() {
		defer close(out)
		t := time.NewTicker(time.Minute)
		defer t.Stop()
		last := addresses()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			now := addresses()
			if !slices.Equal(now, last) {
				select {
				case out <- struct{}{}:
				default:
				}
			}
			last = now
		}
	}()
	return out
}

func addresses() []string {
	addrs, _ := net.InterfaceAddrs()
	var s []string
	for _, a := range addrs {
		s = append(s, a.String())
	}
	slices.Sort(s)
	return s
}
