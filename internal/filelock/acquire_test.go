package filelock

import (
	"errors"
	"path/filepath"
	"testing"
	"time"
)

func TestSecondHolderWaitsThenGetsTheLock(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.lock")
	unlock, err := Acquire(path, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Acquire(path, 20*time.Millisecond); !errors.Is(err, ErrBusy) {
		t.Fatalf("second Acquire while held: %v, want ErrBusy", err)
	}
	got := make(chan error, 1)
	go func() {
		u, err := Acquire(path, 10*time.Second)
		if err == nil {
			u()
		}
		got <- err
	}()
	unlock()
	if err := <-got; err != nil {
		t.Fatalf("Acquire after unlock: %v", err)
	}
}
