package smtpclient_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"stamp/smtpclient"
	"stamp/smtpclient/sandbox"
)

// Send a message to the sandbox over STARTTLS with AUTH, printing the
// steps as they happen.
func ExampleSend() {
	srv, err := sandbox.Start(context.Background(), sandbox.Options{
		Security: sandbox.STARTTLS, Username: "me@example.test", Password: "stamp-test-secret-app-password"})
	if err != nil {
		panic(err)
	}
	defer srv.Close()

	cfg := smtpclient.Config{
		Host: srv.Host(), Port: srv.Port(), Security: smtpclient.SecuritySTARTTLS,
		Username: "me@example.test", Password: "stamp-test-secret-app-password",
		CAPEM: srv.CAPEM(), Timeout: 10 * time.Second,
	}
	env := smtpclient.Envelope{From: "me@example.test", To: []string{"you@example.test"}}
	msg := smtpclient.Bytes("From: me@example.test\r\nTo: you@example.test\r\nSubject: Hi\r\n\r\nHello!\r\n")

	res, err := smtpclient.Send(context.Background(), cfg, env, msg, func(ev smtpclient.Event) {
		if ev.Kind == smtpclient.EventStepFinished {
			fmt.Println("done:", ev.Step)
		}
	})
	if err != nil {
		var e *smtpclient.Error
		if errors.As(err, &e) {
			fmt.Println(e.Explain())
		}
		return
	}
	fmt.Println("accepted:", res.Accepted())
	// Output:
	// done: connect
	// done: greeting
	// done: ehlo
	// done: starttls
	// done: ehlo-again
	// done: auth
	// done: mail-from
	// done: rcpt-to
	// done: data
	// done: message
	// done: quit
	// accepted: [you@example.test]
}
