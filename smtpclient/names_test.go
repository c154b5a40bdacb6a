package smtpclient

import "testing"

func TestEveryNamedModeAndMethodParsesBackToItself(t *testing.T) {
	for _, m := range SecurityModes() {
		for _, name := range append([]string{m.Name, " " + m.Name + " "}, m.Aliases...) {
			if got, err := ParseSecurity(name); err != nil || got != m.Security || got.String() != m.Name {
				t.Errorf("ParseSecurity(%q) = %v, %v; want %s", name, got, err, m.Name)
			}
		}
		if m.Label == "" || m.Security.Describe() != m.Description {
			t.Errorf("%s: label %q, Describe %q", m.Name, m.Label, m.Security.Describe())
		}
	}
	for _, m := range LoginMethods() {
		got, err := ParseAuthMechanism(m.Name)
		switch {
		case !m.Login:
			if err == nil {
				t.Errorf("ParseAuthMechanism(%q) = %q: \"none\" is no mechanism for the engine", m.Name, got)
			}
		case err != nil || got != m.Mechanism:
			t.Errorf("ParseAuthMechanism(%q) = %q, %v; want %q", m.Name, got, err, m.Mechanism)
		}
		if lm, err := ParseLoginMethod(string(m.Mechanism)); m.Mechanism != AuthAuto && (err != nil || lm.Name != m.Name) {
			t.Errorf("ParseLoginMethod(%q) = %+v, %v", m.Mechanism, lm, err)
		}
	}
	if _, err := ParseAuthMechanism("OAuthBearer"); err != nil {
		t.Errorf("OAUTHBEARER is refused: %v", err)
	}
	if _, err := ParseSecurity("tls1.3"); err == nil || err.Error() != `unknown security "tls1.3" (want tls, starttls or none)` {
		t.Errorf("err = %v", err)
	}
	if _, err := ParseAuthMechanism("gssapi"); err == nil || err.Error() != `unknown auth mechanism "gssapi" (want auto, plain, login, cram-md5, xoauth2 or oauthbearer)` {
		t.Errorf("err = %v", err)
	}
}
