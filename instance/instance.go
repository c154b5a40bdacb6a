// Package instance keeps Stamp to one running app per user and data folder:
// the first start becomes the primary and listens on a local socket; a later
// start hands its arguments (files to attach, later mailto: URLs) to the
// primary and exits. Two processes never edit one draft.
//
// The socket is a Unix domain socket in a folder only the user can enter
// (0700, checked). Go speaks AF_UNIX on Linux, macOS and Windows 10 (1803)
// and later, so one implementation serves all three. Who is primary is
// decided by an OS file lock beside the socket, which the kernel drops when
// the process dies however it dies (kill -9 included): a socket file left by
// a crash is then known to be stale and is replaced. Where the OS tells who
// is at the other end (Linux SO_PEERCRED, macOS LOCAL_PEERCRED), a peer of
// another user is refused. A message is bounded in size (MaxMessage) and
// time (ServeTimeout); anything else is dropped.
//
// The package does not know Fyne: the caller gets messages through a
// callback on the package's own goroutines.
package instance

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Kind says what an argument is.
type Kind string

// The kinds of argument a start can hand over.
const (
	// File is a file to attach to a new message; Value is an absolute path.
	File Kind = "file"
	// Mailto is a mailto: URL (RFC 6068) to open as a new message.
	Mailto Kind = "mailto"
)

// Arg is one argument handed from a later start to the primary.
type Arg struct {
	Kind  Kind   `json:"kind"`
	Value string `json:"value"`
}

// Message is what a later start sends the primary: one JSON object, then
// the primary answers with one JSON line (reply).
type Message struct {
	// Version is the protocol version, 1.
	Version int   `json:"version"`
	Args    []Arg `json:"args"`
}

// Version is the protocol version this package speaks.
const Version = 1

// Limits of one hand-over.
const (
	// MaxMessage bounds a message's encoded size: a longer one is dropped.
	MaxMessage = 1 << 20
	// MaxArgs bounds how many arguments one message carries.
	MaxArgs = 1000
	// ServeTimeout bounds how long the primary gives one connection.
	ServeTimeout = 5 * time.Second
	// HandOverTimeout bounds how long a later start tries to reach the
	// primary (which may still be starting) and waits for its answer.
	HandOverTimeout = 15 * time.Second
)

// reply is the primary's answer.
type reply struct {
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"`
}

// FileArgs makes File arguments of paths, relative ones made absolute
// against the current folder (the primary runs in another one).
func FileArgs(paths []string) ([]Arg, error) {
	out := make([]Arg, 0, len(paths))
	for _, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil, fmt.Errorf("file %q: %w", p, err)
		}
		out = append(out, Arg{Kind: File, Value: abs})
	}
	return out, nil
}

// Check reports whether m is a message the primary accepts: this version,
// at most MaxArgs arguments of known kinds, absolute file paths, mailto:
// URLs, no NUL bytes.
func (m Message) Check() error {
	if m.Version != Version {
		return fmt.Errorf("protocol version %d, want %d", m.Version, Version)
	}
	if len(m.Args) > MaxArgs {
		return fmt.Errorf("%d arguments, at most %d", len(m.Args), MaxArgs)
	}
	for i, a := range m.Args {
		if a.Value == "" || strings.ContainsRune(a.Value, 0) {
			return fmt.Errorf("argument %d: empty or holds a NUL byte", i+1)
		}
		switch a.Kind {
		case File:
			if !filepath.IsAbs(a.Value) {
				return fmt.Errorf("argument %d: file path %q is not absolute", i+1, a.Value)
			}
		case Mailto:
			if !strings.HasPrefix(strings.ToLower(a.Value), "mailto:") {
				return fmt.Errorf("argument %d: %q is not a mailto: URL", i+1, a.Value)
			}
		default:
			return fmt.Errorf("argument %d: unknown kind %q", i+1, a.Kind)
		}
	}
	return nil
}

// Primary is the running instance: it holds the lock and listens.
type Primary struct {
	ln     net.Listener
	lock   *os.File
	path   string
	wg     sync.WaitGroup
	closed chan struct{}
	once   sync.Once
	// Dropped, if set before Serve, is told why a connection was dropped
	// (a hostile or broken peer); for logs and tests.
	Dropped func(error)
}

// Paths are the lock file and the socket for name in dir.
func paths(dir, name string) (lock, sock string) {
	return filepath.Join(dir, name+".lock"), filepath.Join(dir, name+".sock")
}

// Start makes this process the primary for name in dir, or, when another
// process already is, hands args to it. It returns the Primary (call Serve,
// then Close at exit) or, after a hand-over, nil and a nil error. dir is
// created 0700 when missing and must belong to the user and be closed to
// others.
func Start(ctx context.Context, dir, name string, args []Arg) (*Primary, error) {
	if err := privateDir(dir); err != nil {
		return nil, err
	}
	lockPath, sock := paths(dir, name)
	if max := maxSocketPath(); len(sock) > max {
		return nil, fmt.Errorf("the socket path %s is longer than the %d bytes the OS allows", sock, max)
	}
	lock, err := tryLock(lockPath)
	if errors.Is(err, errLocked) {
		return nil, HandOver(ctx, sock, Message{Version: Version, Args: args})
	}
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", lockPath, err)
	}
	// We hold the lock, so no live primary owns a socket file found here: it
	// was left by a crash.
	if err := os.Remove(sock); err != nil && !errors.Is(err, os.ErrNotExist) {
		lock.Close()
		return nil, fmt.Errorf("remove the stale socket %s: %w", sock, err)
	}
	ln, err := net.Listen("unix", sock)
	if err != nil {
		lock.Close()
		return nil, fmt.Errorf("listen on %s: %w", sock, err)
	}
	return &Primary{ln: ln, lock: lock, path: sock, closed: make(chan struct{})}, nil
}

// Serve accepts hand-overs until Close, calling handle with each valid
// message's arguments on a goroutine of its own; handle should return
// within ServeTimeout, and its error (e.g. "closing") is the refusal the
// later start prints. Connections that arrived before Serve waited for it.
func (p *Primary) Serve(handle func([]Arg) error) {
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		for {
			c, err := p.ln.Accept()
			if err != nil {
				select {
				case <-p.closed:
					return
				default:
				}
				var ne net.Error
				if errors.As(err, &ne) && ne.Timeout() {
					continue
				}
				p.drop(fmt.Errorf("accept: %w", err))
				time.Sleep(50 * time.Millisecond) // e.g. out of file descriptors
				continue
			}
			p.wg.Add(1)
			go func() {
				defer p.wg.Done()
				if err := serveConn(c, handle); err != nil {
					p.drop(err)
				}
			}()
		}
	}()
}

func (p *Primary) drop(err error) {
	if p.Dropped != nil {
		p.Dropped(err)
	}
}

// serveConn reads one message from c within ServeTimeout and at most
// MaxMessage bytes, answers, and closes c.
func serveConn(c net.Conn, handle func([]Arg) error) error {
	defer c.Close()
	if err := checkPeer(c); err != nil {
		return err
	}
	c.SetDeadline(time.Now().Add(ServeTimeout))
	lr := &io.LimitedReader{R: c, N: MaxMessage + 1}
	var m Message
	dec := json.NewDecoder(lr)
	dec.DisallowUnknownFields()
	err := dec.Decode(&m)
	if lr.N <= 0 {
		return fmt.Errorf("message longer than %d bytes", MaxMessage)
	}
	if err != nil {
		return fmt.Errorf("bad message: %w", err)
	}
	if err := m.Check(); err != nil {
		answer(c, reply{Error: err.Error()})
		return fmt.Errorf("bad message: %w", err)
	}
	if err := handle(m.Args); err != nil {
		answer(c, reply{Error: err.Error()})
		return fmt.Errorf("refused: %w", err)
	}
	return answer(c, reply{OK: true})
}

func answer(c net.Conn, r reply) error {
	b, _ := json.Marshal(r)
	_, err := c.Write(append(b, '\n'))
	return err
}

// Close stops listening, waits for hand-overs in progress and gives up the
// lock, so the next start becomes the primary.
func (p *Primary) Close() error {
	var err error
	p.once.Do(func() {
		close(p.closed)
		err = p.ln.Close() // removes the socket file
		p.wg.Wait()
		if e := p.lock.Close(); err == nil {
			err = e
		}
	})
	return err
}

// HandOverError is the primary's refusal of a message, or a failure to
// reach it.
type HandOverError struct {
	Reason string
	Err    error
}

func (e *HandOverError) Error() string {
	if e.Err != nil {
		return "hand over to the running Stamp: " + e.Reason + ": " + e.Err.Error()
	}
	return "hand over to the running Stamp: " + e.Reason
}

func (e *HandOverError) Unwrap() error { return e.Err }

// HandOver sends m to the primary listening on sock and waits for its
// answer. The primary may hold the lock but not listen yet (it is
// starting), so connecting is retried until HandOverTimeout or ctx ends.
func HandOver(ctx context.Context, sock string, m Message) error {
	ctx, cancel := context.WithTimeout(ctx, HandOverTimeout)
	defer cancel()
	var d net.Dialer
	var c net.Conn
	var err error
	for wait := 20 * time.Millisecond; ; wait = min(2*wait, 500*time.Millisecond) {
		c, err = d.DialContext(ctx, "unix", sock)
		if err == nil {
			break
		}
		select {
		case <-ctx.Done():
			return &HandOverError{Reason: "the running Stamp does not answer", Err: err}
		case <-time.After(wait):
		}
	}
	defer c.Close()
	stop := context.AfterFunc(ctx, func() { c.SetDeadline(time.Now()) })
	defer stop()
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	if _, err := c.Write(b); err != nil {
		return &HandOverError{Reason: "send", Err: err}
	}
	line, err := bufio.NewReader(io.LimitReader(c, 64<<10)).ReadBytes('\n')
	if err != nil {
		return &HandOverError{Reason: "no answer", Err: err}
	}
	var r reply
	if err := json.Unmarshal(line, &r); err != nil {
		return &HandOverError{Reason: "bad answer", Err: err}
	}
	if !r.OK {
		return &HandOverError{Reason: r.Error}
	}
	return nil
}
