package oauth_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"stamp/account"
	"stamp/i18n"
	"stamp/internal/i18ntest"
	"stamp/oauth"
	"stamp/oauth/oauthtest"
)

// inLanguage makes tag the language of Stamp's texts until the test ends.
func inLanguage(t *testing.T, tag string) {
	t.Helper()
	l, err := i18n.ParseSupported(tag)
	if err != nil {
		t.Fatal(err)
	}
	i18n.SetLanguage(l)
	t.Cleanup(func() { i18n.SetLanguage(i18n.English) })
}

// checkChinese fails unless text is Stamp's Chinese, keeping kept as it is
// (internal/i18ntest).
func checkChinese(t *testing.T, what, text string, kept ...string) {
	t.Helper()
	i18ntest.CheckChinese(t, what, text, kept...)
}

// checkExplained fails unless ExplainSignIn words err in Chinese.
func checkExplained(t *testing.T, kind oauth.Kind, err error) {
	t.Helper()
	x, ok := oauth.ExplainSignIn(kind, err)
	if !ok {
		t.Fatalf("ExplainSignIn(%v) knows nothing", err)
	}
	checkChinese(t, "cause", x.Cause)
	checkChinese(t, "fix", x.Fix)
}

// redirectError sends the provider's error answer to a sign-in's listener,
// as the provider's page does when the person declines, and returns Wait's
// error and the page the browser shows.
func redirectError(t *testing.T, p *oauth.Provider, code, desc string) (error, string) {
	t.Helper()
	s, err := oauth.Start(p, oauth.Options{Timeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	done := waitAsync(s, context.Background())
	au, _ := url.Parse(s.AuthURL())
	status, page := get(t, s.RedirectURL()+"?"+url.Values{"error": {code}, "error_description": {desc},
		"state": {au.Query().Get("state")}}.Encode(), "")
	if status != http.StatusBadRequest {
		t.Fatalf("the browser shows HTTP %d for error=%s", status, code)
	}
	return (<-done).err, page
}

func TestSignInFailuresInChinese(t *testing.T) {
	srv := oauthtest.Start(t)
	p := provider(t, srv)
	inLanguage(t, "zh_CN.UTF-8")

	t.Run("cancelled on the provider's page", func(t *testing.T) {
		err, page := redirectError(t, p, "access_denied", "the user declined")
		var pe *oauth.ProviderError
		if !errors.Is(err, oauth.ErrCancelled) || !errors.As(err, &pe) {
			t.Fatalf("Wait = %v, want a ProviderError wrapping ErrCancelled", err)
		}
		checkChinese(t, "error", err.Error(), "access_denied", "the user declined")
		if !strings.Contains(err.Error(), "登录已取消（") {
			t.Errorf("the error does not say the sign-in was cancelled: %q", err)
		}
		checkChinese(t, "browser page", page, "access_denied", "the user declined", "Stamp")
		if !strings.Contains(page, "登录失败") || !strings.Contains(page, `lang="zh-Hans"`) {
			t.Errorf("the browser page does not say the sign-in failed: %.300s", page)
		}
		checkExplained(t, oauth.Custom, err)
	})
	t.Run("admin approval (AADSTS65001)", func(t *testing.T) {
		desc := "AADSTS65001: The user or administrator has not consented to use the application."
		err, _ := redirectError(t, p, "invalid_request", desc)
		if !errors.Is(err, oauth.ErrAdminApproval) {
			t.Fatalf("Wait = %v, want ErrAdminApproval", err)
		}
		checkChinese(t, "error", err.Error(), "invalid_request", desc)
		if !strings.Contains(err.Error(), "管理员") {
			t.Errorf("the error does not name the administrator: %q", err)
		}
		checkExplained(t, oauth.Microsoft, err)
	})
	t.Run("the browser never comes back", func(t *testing.T) {
		s, err := oauth.Start(p, oauth.Options{Timeout: 200 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.Wait(context.Background())
		if !errors.Is(err, oauth.ErrTimedOut) {
			t.Fatalf("Wait = %v, want ErrTimedOut", err)
		}
		checkChinese(t, "error", err.Error())
		checkExplained(t, oauth.Google, err)
	})
	t.Run("revoked on the server: sign in again", func(t *testing.T) {
		ctx := context.Background()
		secrets := account.NewSecretsWith(account.NewLimitedKeyring())
		sess := oauth.NewManager(secrets).Session("me@example.com", p)
		i18n.SetLanguage(i18n.English) // signIn reads the English page
		tok := signIn(t, srv, p)
		i18n.SetLanguage(i18n.SimplifiedChinese)
		if _, err := sess.Complete(ctx, tok); err != nil {
			t.Fatal(err)
		}
		rt, _, _, _ := secrets.RefreshToken(ctx, "me@example.com")
		if err := srv.RevokeRefreshToken(ctx, rt); err != nil {
			t.Fatal(err)
		}
		_, err := sess.Refresh(ctx)
		var pe *oauth.ProviderError
		if !errors.Is(err, oauth.ErrSignInAgain) || !errors.As(err, &pe) || pe.Code != "invalid_grant" {
			t.Fatalf("Refresh after revocation = %v, want invalid_grant and ErrSignInAgain", err)
		}
		checkChinese(t, "error", err.Error(), "invalid_grant", pe.Description)
		if !strings.Contains(err.Error(), "重新登录") {
			t.Errorf("the error does not say to sign in again: %q", err)
		}
		for _, kind := range []oauth.Kind{oauth.Google, oauth.Microsoft, oauth.Custom} {
			checkExplained(t, kind, err)
		}
		x, _ := oauth.ExplainSignIn(oauth.Google, err)
		if !strings.Contains(x.Cause, "7 天") || !strings.Contains(x.Cause, "测试") {
			t.Errorf("Google's explanation does not name the 7-day Testing sign-ins: %q", x.Cause)
		}
		sa := &oauth.SignInAgainError{Account: "me@example.com", Provider: oauth.Google, Err: err}
		if !errors.Is(sa, oauth.ErrSignInAgain) {
			t.Fatal("a SignInAgainError is not ErrSignInAgain")
		}
		checkChinese(t, "SignInAgainError", sa.Error(), `"me@example.com"`, "invalid_grant", pe.Description)
	})
	t.Run("no client ID in this build", func(t *testing.T) {
		for _, kind := range []oauth.Kind{oauth.Google, oauth.Microsoft, oauth.Custom} {
			_, err := oauth.Start(&oauth.Provider{Kind: kind}, oauth.Options{})
			var nc *oauth.NoClientIDError
			if !errors.As(err, &nc) {
				t.Fatalf("Start without a client ID = %v", err)
			}
			checkChinese(t, string(kind), err.Error())
			if want := map[oauth.Kind]string{oauth.Google: "https://mail.google.com/", oauth.Microsoft: "SMTP.Send",
				oauth.Custom: "http://127.0.0.1/callback"}[kind]; !strings.Contains(err.Error(), want) {
				t.Errorf("%s: the hint lacks %q: %q", kind, want, err)
			}
			checkExplained(t, kind, err)
		}
	})
	t.Run("settings the provider cannot use", func(t *testing.T) {
		for _, c := range []struct {
			s    oauth.Settings
			keep string
		}{
			{oauth.Settings{Kind: "yahoo", ClientID: "x"}, `"yahoo"`},
			{oauth.Settings{Kind: oauth.Custom, ClientID: "x", AuthURL: "http://login.example/a", TokenURL: "https://login.example/t", Scopes: []string{"smtp"}}, `"http://login.example/a"`},
			{oauth.Settings{Kind: oauth.Microsoft, Tenant: "a/b"}, `"a/b"`},
		} {
			_, err := oauth.Resolve(context.Background(), c.s, nil)
			if err == nil {
				t.Fatalf("Resolve(%+v) = nil", c.s)
			}
			checkChinese(t, string(c.s.Kind), err.Error(), c.keep)
		}
	})
	t.Run("the renewal could not be saved", func(t *testing.T) {
		err := error(&oauth.RenewalNotSavedError{Account: "me@example.com"})
		checkChinese(t, "RenewalNotSavedError", err.Error(), `"me@example.com"`)
		if !strings.Contains(err.Error(), "密钥环") {
			t.Errorf("the error does not name the keyring: %q", err)
		}
	})
}

func TestSignInFailuresInEnglish(t *testing.T) {
	srv := oauthtest.Start(t)
	p := provider(t, srv)
	inLanguage(t, "en")
	err, page := redirectError(t, p, "access_denied", "the user declined")
	if want := "the sign-in was cancelled (the provider answered access_denied: the user declined)"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Wait = %v, want %q", err, want)
	}
	if !strings.Contains(page, "Sign-in failed") || !strings.Contains(page, "Return to Stamp") {
		t.Errorf("the browser page: %.300s", page)
	}
	if x, _ := oauth.ExplainSignIn(oauth.Google, oauth.ErrSignInAgain); !strings.Contains(x.Cause, `"Testing" status, whose sign-ins end after 7 days`) {
		t.Errorf("Google's explanation in English: %q", x.Cause)
	}
	_, err = oauth.Start(&oauth.Provider{Kind: oauth.Microsoft}, oauth.Options{})
	if err == nil || !strings.Contains(err.Error(), "this build of Stamp has no client ID for Microsoft sign-in") {
		t.Errorf("Start without a client ID = %v", err)
	}
}
