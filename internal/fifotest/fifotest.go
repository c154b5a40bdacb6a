// Package fifotest makes named pipes for the tests that check a path
// which would block a plain read (a FIFO nobody writes to) is refused.
package fifotest
