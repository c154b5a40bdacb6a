// Package instance keeps Stamp to one running app per user and data folder:
// the first start becomes the primary and listens on a local socket; a later
// start hands its arguments (files to attach, later mailto: URLs) to the
// primary and exits. Two processes never edit one draft.
//
// Who is primary is decided by an OS file lock on a file INSIDE the data
// folder itself (LockName), the folder whose draft it protects. So every
// start that reaches that folder meets the same lock, however it got there:
// with or without XDG_RUNTIME_DIR (su, sudo -u, cron, ssh), through a
// symbolic link, or over NFS, where Linux maps flock onto NFS byte-range
// locks (lockd / NFSv4) that all clients see. (Where the data folder has
// no locks at all, an NFS mount with nolock, the lock falls back to a file
// in the run folder: one Stamp per host and run folder, no more.) A name computed from the
// folder's path (as written or resolved) could not do that: the path can
// differ while the folder is the same. The kernel drops the lock when the
// process dies however it dies (kill -9 included). The lock file is opened
// without following a link (O_NOFOLLOW) and must be a regular file of this
// user; another user's lock file is refused.
//
// The socket is a Unix domain socket in a run folder only the user can enter
// (0700, checked; a folder found open to others is closed and emptied of
// what other users put in it). It is named after the data folder's identity
// (device and inode), and the primary writes its path, host and pid into the
// lock file: a later start that runs with another run folder still finds it,
// and a start on another host that shares the data folder over NFS is told
// where Stamp runs instead of waiting. A socket file left by a crash is
// known to be stale (its owner's lock is gone) and is replaced. Go speaks
// AF_UNIX on Linux, macOS and Windows 10 (1803) and later, so one
// implementation serves all three.
//
// Both sides ask the kernel who is at the other end (Linux SO_PEERCRED,
// macOS LOCAL_PEERCRED): the primary refuses a peer of another user, and a
// later start sends nothing to a socket that another user listens on (nor
// dials a socket file that is not this user's). A start that finds the lock
// held but no one answering (the primary is closing) tries the lock again
// and becomes the primary once it is free. A message is bounded in size
// (MaxMessage) and time (ServeTimeout); anything else is dropped.
//
// The package does not know Fyne: the caller gets messages through a
// callback on the package's own goroutines.
package instance

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
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
	// Accounts asks the primary to open its account settings (stamp
	// --accounts); Value is empty.
	Accounts Kind = "accounts"
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

// reply is the primary's answer. Closing marks a refusal because the
// primary is ending (its handler returned ErrClosing): the later start
// takes the lock once it is free instead of giving up.
type reply struct {
	OK      bool   `json:"ok"`
	Error   string `json:"error,omitempty"`
	Closing bool   `json:"closing,omitempty"`
}

// ErrClosing is what a Serve handler returns (or wraps) when this Stamp is
// ending and cannot take a hand-over: the later start is told so and keeps
// trying the lock, which is free a moment later, until HandOverTimeout.
// Start's error then wraps it when the primary was still closing at the end.
var ErrClosing = errors.New("the running Stamp is closing; try again in a moment")

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
// URLs, an empty value for Accounts, no NUL bytes.
func (m Message) Check() error {
	if m.Version != Version {
		return fmt.Errorf("protocol version %d, want %d", m.Version, Version)
	}
	if len(m.Args) > MaxArgs {
		return fmt.Errorf("%d arguments, at most %d", len(m.Args), MaxArgs)
	}
	for i, a := range m.Args {
		if a.Kind == Accounts {
			if a.Value != "" {
				return fmt.Errorf("argument %d: %s takes no value", i+1, a.Kind)
			}
			continue
		}
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

// LockName is the lock file's name inside the data folder.
const LockName = ".stamp-instance.lock"

// lockPath is the lock file of the data folder data.
func lockPath(data string) string { return filepath.Join(data, LockName) }

// socketPath is the socket of the data folder data in the run folder run,
// named after the data folder's identity (folderID), so two data folders
// never share a socket and one folder reached by two paths has one.
func socketPath(data, run string) (string, error) {
	id, err := folderID(data)
	if err != nil {
		return "", fmt.Errorf("the data folder %s: %w", data, err)
	}
	sum := sha256.Sum256([]byte(id))
	return filepath.Join(run, "stamp-"+hex.EncodeToString(sum[:6])+".sock"), nil
}

// lockFile is tryLock; tests replace it to act out a folder without locks.
var lockFile = tryLock

// holder is what the primary writes into the lock file: where it listens.
type holder struct {
	Socket string `json:"socket"`
	Host   string `json:"host"`
	PID    int    `json:"pid"`
}

// maxHolder bounds how much of the lock file a later start reads.
const maxHolder = 8 << 10

// readHolder reads what the primary wrote into the lock file at path; an
// empty file (the primary is starting) gives a zero holder.
func readHolder(path string) (holder, error) {
	f, err := openLockFile(path, os.O_RDONLY)
	if err != nil {
		return holder{}, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxHolder))
	if err != nil {
		return holder{}, err
	}
	var h holder
	if len(bytes.TrimSpace(b)) == 0 {
		return h, nil
	}
	if err := json.Unmarshal(b, &h); err != nil {
		// A primary writing it right now; the next look sees it whole.
		return holder{}, nil
	}
	return h, nil
}

// Start makes this process the primary for the data folder data, or, when
// another process already is, hands args to it. It returns the Primary
// (call Serve, then Close at exit) or, after a hand-over, nil and a nil
// error. The lock is a file in data (created 0700 when missing); the socket
// goes into run, created 0700 when missing, which must belong to the user
// and not be a link. When the lock is held but the primary does not answer
// (it is starting, or closing) or refuses with ErrClosing, Start keeps
// trying both, the lock and the socket, until HandOverTimeout or ctx ends.
func Start(ctx context.Context, data, run string, args []Arg) (*Primary, error) {
	if err := privateDir(run); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(data, 0o700); err != nil {
		return nil, fmt.Errorf("the data folder: %w", err)
	}
	sock, err := socketPath(data, run)
	if err != nil {
		return nil, err
	}
	if max := maxSocketPath(); len(sock) > max {
		return nil, fmt.Errorf("the socket path %s is longer than the %d bytes the OS allows", sock, max)
	}
	lp := lockPath(data)
	ctx, cancel := context.WithTimeout(ctx, HandOverTimeout)
	defer cancel()
	host, _ := os.Hostname()
	m := Message{Version: Version, Args: args}
	var last error
	for wait := 20 * time.Millisecond; ; wait = min(2*wait, 500*time.Millisecond) {
		lock, err := lockFile(lp)
		if err == nil {
			return listen(lock, sock, host)
		}
		if errors.Is(err, errNoLocks) && lp == lockPath(data) {
			// A data folder without file locks (NFS mounted nolock): one
			// Stamp per host at least, by a lock in the run folder.
			lp = strings.TrimSuffix(sock, ".sock") + ".lock"
			continue
		}
		if !errors.Is(err, errLocked) {
			return nil, fmt.Errorf("lock %s: %w", lp, err)
		}
		h, err := readHolder(lp)
		switch {
		case err != nil:
			return nil, fmt.Errorf("lock %s: %w", lp, err)
		case h.Socket == "":
			last = errors.New("the running Stamp is still starting")
		default:
			c, err := dialPrimary(ctx, h.Socket)
			var refused *refusedError
			if errors.As(err, &refused) {
				return nil, &HandOverError{Reason: "refused", Err: err}
			}
			if err == nil {
				err = exchange(ctx, c, m)
				if !errors.Is(err, ErrClosing) {
					return nil, err
				}
				// Refused, nothing taken: the primary is ending and its
				// lock is free in a moment; try it again.
				last = err
				break
			}
			if h.Host != "" && host != "" && h.Host != host {
				// The data folder is shared (NFS) with a Stamp on another
				// machine: its socket is not reachable from here.
				return nil, &HandOverError{Reason: fmt.Sprintf("Stamp is running on %s with this data folder (%s); close it there first", h.Host, data)}
			}
			last = err
		}
		select {
		case <-ctx.Done():
			if errors.Is(last, ErrClosing) {
				return nil, last
			}
			return nil, &HandOverError{Reason: "the running Stamp does not answer", Err: last}
		case <-time.After(wait):
		}
	}
}

// listen makes this process, holding lock, the primary listening on sock,
// and writes where into the lock file.
func listen(lock *os.File, sock, host string) (*Primary, error) {
	// A crashed primary's note is not ours to pass on.
	if err := lock.Truncate(0); err != nil {
		lock.Close()
		return nil, fmt.Errorf("lock file: %w", err)
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
	b, _ := json.Marshal(holder{Socket: sock, Host: host, PID: os.Getpid()})
	if _, err := lock.WriteAt(append(b, '\n'), 0); err != nil {
		ln.Close()
		lock.Close()
		return nil, fmt.Errorf("lock file: %w", err)
	}
	return &Primary{ln: ln, lock: lock, path: sock, closed: make(chan struct{})}, nil
}

// Serve accepts hand-overs until Close, calling handle with each valid
// message's arguments on a goroutine of its own; handle should return
// within ServeTimeout, and its error is the refusal the later start prints
// (ErrClosing, or an error wrapping it, makes the later start wait for the
// lock instead). Connections that arrived before Serve waited for it.
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
		answer(c, reply{Error: err.Error(), Closing: errors.Is(err, ErrClosing)})
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

// refusedError says the socket or the process listening on it is not this
// user's: nothing is sent there.
type refusedError struct{ err error }

func (e *refusedError) Error() string { return e.err.Error() }
func (e *refusedError) Unwrap() error { return e.err }

// dialPrimary connects to sock once, after checking that the socket file is
// this user's, and checks that this user's process listens on it.
func dialPrimary(ctx context.Context, sock string) (net.Conn, error) {
	if err := checkSocketFile(sock); err != nil {
		return nil, err // a *refusedError when it is not this user's
	}
	var d net.Dialer
	c, err := d.DialContext(ctx, "unix", sock)
	if err != nil {
		return nil, err
	}
	if err := checkPeer(c); err != nil {
		c.Close()
		return nil, &refusedError{err}
	}
	return c, nil
}

// HandOver sends m to the primary listening on sock and waits for its
// answer. The primary may not listen yet (it is starting), so connecting is
// retried until HandOverTimeout or ctx ends. Nothing is sent when the socket
// or the process listening on it belongs to another user.
func HandOver(ctx context.Context, sock string, m Message) error {
	ctx, cancel := context.WithTimeout(ctx, HandOverTimeout)
	defer cancel()
	for wait := 20 * time.Millisecond; ; wait = min(2*wait, 500*time.Millisecond) {
		c, err := dialPrimary(ctx, sock)
		if err == nil {
			return exchange(ctx, c, m)
		}
		var refused *refusedError
		if errors.As(err, &refused) {
			return &HandOverError{Reason: "refused", Err: err}
		}
		select {
		case <-ctx.Done():
			return &HandOverError{Reason: "the running Stamp does not answer", Err: err}
		case <-time.After(wait):
		}
	}
}

// exchange sends m on c, reads the primary's answer and closes c.
func exchange(ctx context.Context, c net.Conn, m Message) error {
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
	if !r.OK && r.Closing {
		return &HandOverError{Reason: "refused", Err: ErrClosing}
	}
	if !r.OK {
		return &HandOverError{Reason: r.Error}
	}
	return nil
}
