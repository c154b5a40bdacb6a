package oauth_test

import (
	"context"
	"errors"
	"testing"

	"stamp/account"
	"stamp/oauth"
	"stamp/oauth/oauthtest"
	"stamp/smtpclient"
	"stamp/smtpclient/sandbox"
)

// A locked keyring (here: one that refuses every call, as GNOME Keyring
// does while its collection is locked and nobody answers the prompt) must
// not stop an account whose own client is public: it has no client secret
// to read. The sign-in is kept for this session, and the send works.
func TestALockedKeyringDoesNotStopAPublicClientFromSigningInAndSending(t *testing.T) {
	srv := oauthtest.Start(t)
	ctx := context.Background()
	kr := account.NewMemoryKeyring()
	kr.Fail = errors.New("org.freedesktop.Secret.Error.IsLocked: the collection is locked")
	secrets := account.NewSecretsWith(kr)
	a := account.Account{ID: "me", Address: mailbox, Host: "127.0.0.1", Port: 465, Security: account.SecurityTLS,
		Auth: account.AuthAuto, OAuth: &account.OAuthSettings{Provider: account.OAuthCustom,
			ClientID: oauthtest.ClientID, Issuer: srv.Issuer, Scopes: oauthtest.Scopes}}

	p, err := oauth.ProviderFor(ctx, a, secrets, nil)
	if err != nil {
		t.Fatalf("ProviderFor with a locked keyring: %v", err)
	}
	if p.ClientID != oauthtest.ClientID || p.ClientSecret != "" || p.Endpoint.TokenURL == "" {
		t.Fatalf("resolved %v, want the account's public client and the discovered endpoints", p)
	}
	sess := oauth.NewManager(secrets).Session(a.ID, p)
	loc, err := sess.Complete(ctx, signIn(t, srv, p))
	if err != nil || loc != account.LocationSession {
		t.Fatalf("keeping the sign-in with a locked keyring: %v (kept in %v), want this session", err, loc)
	}

	sb := startIntrospectingSandbox(t, srv, sandbox.Options{})
	env := smtpclient.Envelope{From: mailbox, To: []string{"bob@example.test"}}
	if _, err := oauth.Send(ctx, sess, smtpConfig(sb, mailbox, ""), env, testMail("locked keyring"), nil); err != nil {
		t.Fatalf("send with a locked keyring: %v", err)
	}
	if m := sb.Messages(); len(m) != 1 || m[0].User != mailbox {
		t.Fatalf("the sandbox kept %d messages, want 1 from %s", len(m), mailbox)
	}
}

// SignOut with a locked keyring: the copy kept for this session is
// forgotten, the session says it needs a sign-in, and Send sends nothing
// until the next sign-in, which works again.
func TestSignOutWithALockedKeyringNeedsASignInAndSendsNothing(t *testing.T) {
	for _, way := range []string{"Session.SignOut", "Manager.SignOut"} {
		t.Run(way, func(t *testing.T) { signOutWithALockedKeyring(t, way == "Manager.SignOut") })
	}
}

func signOutWithALockedKeyring(t *testing.T, byManager bool) {
	srv := oauthtest.Start(t)
	ctx := context.Background()
	kr := account.NewMemoryKeyring()
	kr.Fail = errors.New("org.freedesktop.Secret.Error.IsLocked: the collection is locked")
	secrets := account.NewSecretsWith(kr)
	p := provider(t, srv)
	mgr := oauth.NewManager(secrets)
	sess := mgr.Session("me", p)
	if _, err := sess.Complete(ctx, signIn(t, srv, p)); err != nil {
		t.Fatal(err)
	}
	sb := startIntrospectingSandbox(t, srv, sandbox.Options{})
	env := smtpclient.Envelope{From: mailbox, To: []string{"bob@example.test"}}
	// The locked keyring cannot delete its entry: said, and the copy for
	// this session goes all the same.
	var err error
	if byManager {
		_, err = mgr.SignOut(ctx, "me", p)
	} else {
		err = sess.SignOut(ctx)
	}
	if err == nil {
		t.Fatal("SignOut with a locked keyring reported no error")
	}
	if !sess.NeedsSignIn() || !sess.SignedOut() {
		t.Fatalf("after SignOut: needs sign-in %v, signed out %v", sess.NeedsSignIn(), sess.SignedOut())
	}
	if _, _, loc, err := secrets.RefreshToken(ctx, "me"); err == nil || loc == account.LocationSession {
		t.Fatalf("the sign-in is still kept for this session (%v)", err)
	}
	if _, err := oauth.Send(ctx, sess, smtpConfig(sb, mailbox, ""), env, testMail("signed out"), nil); !errors.Is(err, oauth.ErrSignInAgain) {
		t.Fatalf("send after signing out: %v, want sign in again", err)
	}
	if n := len(sb.Messages()); n != 0 {
		t.Fatalf("the sandbox kept %d messages after signing out, want none", n)
	}
	if _, err := sess.Complete(ctx, signIn(t, srv, p)); err != nil {
		t.Fatal(err)
	}
	if sess.NeedsSignIn() || sess.SignedOut() {
		t.Fatal("a new sign-in still says signed out")
	}
	if _, err := oauth.Send(ctx, sess, smtpConfig(sb, mailbox, ""), env, testMail("signed in again"), nil); err != nil {
		t.Fatalf("send after signing in again: %v", err)
	}
	if n := len(sb.Messages()); n != 1 {
		t.Fatalf("the sandbox kept %d messages, want 1", n)
	}
}
