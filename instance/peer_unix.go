//go:build linux || darwin

package instance

import (
	"fmt"
	"net"
	"os"
)

// checkPeer refuses a peer that runs as another user, asking the kernel
// who is at the other end (peerUID).
func checkPeer(c net.Conn) error {
	uc, ok := c.(*net.UnixConn)
	if !ok {
		return fmt.Errorf("not a unix socket: %T", c)
	}
	raw, err := uc.SyscallConn()
	if err != nil {
		return err
	}
	var uid int
	var uerr error
	if err := raw.Control(func(fd uintptr) { uid, uerr = peerUID(int(fd)) }); err != nil {
		return err
	}
	if uerr != nil {
		return fmt.Errorf("peer credentials: %w", uerr)
	}
	if uid != os.Getuid() {
		return fmt.Errorf("peer runs as uid %d, not %d: refused", uid, os.Getuid())
	}
	return nil
}
