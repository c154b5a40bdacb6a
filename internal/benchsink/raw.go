package main

import (
	"bufio"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"time"
)

// countRaw reads a whole connection in 1 MiB reads, then answers the
// number of bytes it read.
func (cfg *config) countRaw(c net.Conn) {
	defer c.Close()
	if cfg.security != "none" {
		c = tls.Server(c, cfg.tls)
	}
	buf := make([]byte, 1<<20)
	var n int64
	for {
		k, err := c.Read(buf)
		n += int64(k)
		if err != nil {
			break
		}
	}
	fmt.Fprintf(c, "%d\n", n)
	cfg.logf("raw %d bytes", n)
}

// sendRaw is the floor: it sends file over a plain TCP (io.Copy, which is
// sendfile(2) on Linux) or TLS connection, closes its writing side and
// checks that the sink counted every byte.
func sendRaw(file, addr, security, caFile string) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	tcp, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		return err
	}
	defer tcp.Close()
	var c io.ReadWriter = tcp
	closeWrite := tcp.(*net.TCPConn).CloseWrite
	if security == "tls" {
		roots, err := loadCA(caFile)
		if err != nil {
			return err
		}
		tc := tls.Client(tcp, &tls.Config{RootCAs: roots, ServerName: hostOf(addr)})
		c, closeWrite = tc, tc.CloseWrite
	}
	if _, err := io.Copy(c, f); err != nil {
		return err
	}
	if err := closeWrite(); err != nil {
		return err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return fmt.Errorf("no count from the sink: %w", err)
	}
	got, err := strconv.ParseInt(strings.TrimSpace(line), 10, 64)
	if err != nil || got != st.Size() {
		return fmt.Errorf("the sink counted %q bytes, sent %d", strings.TrimSpace(line), st.Size())
	}
	return nil
}
