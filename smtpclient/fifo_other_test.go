//go:build !unix

package smtpclient

import "errors"

func mkfifo(string) error { return errors.New("no FIFOs on this system") }
