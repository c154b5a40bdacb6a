package loopback

import (
	"bufio"
	"net"
	"testing"
	"time"
)

// A client reads what Say wrote; the server notices its hang-up.
func TestSayWritesAndWaitsForTheHangUp(t *testing.T) {
	hung := make(chan struct{})
	addr := Serve(t, func(c net.Conn) { Say("220 hi\r\n", 5*time.Second)(c); close(hung) })
	c, err := net.Dial("tcp", addr.String())
	if err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil || line != "220 hi\r\n" {
		t.Fatalf("read %q, %v", line, err)
	}
	c.Close()
	select {
	case <-hung:
	case <-time.After(5 * time.Second):
		t.Fatal("the server did not notice the client hanging up")
	}
}
