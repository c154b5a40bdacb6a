package oauth

import (
	"io"
	"log"
)

// discardLog keeps net/http's server messages (which could quote a
// request line) off the process's standard error.
var discardLog = log.New(io.Discard, "", 0)
