package outbox

import (
	"context"
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// WatchNetwork reports network changes: on Linux a netlink socket
// subscribed to link, address and route changes, read by one goroutine
// that sleeps in the kernel (through Go's poller) until something changes,
// so it costs nothing while the network is quiet. Bursts are merged: one
// report per second at most. The channel closes when ctx is done, or at
// once when the socket cannot be opened (then the back-off alone retries).
func WatchNetwork(ctx context.Context) <-chan struct{} {
	out := make(chan struct{}, 1)
	fd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, unix.NETLINK_ROUTE)
	if err != nil {
		close(out)
		return out
	}
	groups := uint32(unix.RTMGRP_LINK | unix.RTMGRP_IPV4_IFADDR | unix.RTMGRP_IPV6_IFADDR |
		unix.RTMGRP_IPV4_ROUTE | unix.RTMGRP_IPV6_ROUTE)
	if err := unix.Bind(fd, &unix.SockaddrNetlink{Family: unix.AF_NETLINK, Groups: groups}); err != nil {
		unix.Close(fd)
		close(out)
		return out
	}
	f := os.NewFile(uintptr(fd), "netlink") // non-blocking: reads wait in the poller, Close wakes them
	stop := context.AfterFunc(ctx, func() { f.Close() })
	go func() {
		defer close(out)
		defer stop()
		buf := make([]byte, 64<<10)
		var last time.Time
		for {
			if _, err := f.Read(buf); err != nil {
				if ctx.Err() != nil {
					return
				}
				if os.IsTimeout(err) {
					continue
				}
				// ENOBUFS: changes were lost, which is a change too.
			}
			if time.Since(last) < time.Second {
				continue
			}
			last = time.Now()
			select {
			case out <- struct{}{}:
			default:
			}
		}
	}()
	return out
}
