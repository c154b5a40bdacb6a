package discover

import (
	"testing"
	"time"

	"stamp/discover/discovertest"
)

// ispdbBase is the ISPDB stand-in's base URL.
const ispdbBase = discovertest.ISPDB

// env is the loopback Internet of discovertest.
type env struct{ *discovertest.Net }

func newEnv(t testing.TB) *env { return &env{discovertest.New(t)} }

// options are discovery options pointed at this env; trust adds the CA
// PEMs of sandboxes.
func (e *env) options(trust ...[]byte) Options {
	ca := append([]byte(nil), e.CAPEM()...)
	for _, p := range trust {
		ca = append(ca, p...)
	}
	return Options{
		Resolver:      e.Resolver(),
		Dial:          e.Dial,
		CAPEM:         ca,
		ISPDB:         ispdbBase,
		SourceTimeout: 3 * time.Second,
		GuessTimeout:  3 * time.Second,
		HeloName:      "client.stamp.test",
	}
}
