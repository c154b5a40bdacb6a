package smtpclient

import (
	"fmt"
	"strings"
	"testing"
)

func TestPrintingAConfigNeverShowsItsSecrets(t *testing.T) {
	cfg := Config{Host: "mail.example.test", Username: testUser, Password: testHostileSecret, OAuth2Token: testToken}
	type job struct { // as ui.SendJob embeds it
		Config
		Subject string
	}
	for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
		for _, v := range []any{cfg, &cfg, job{Config: cfg}} {
			out := fmt.Sprintf(format, v)
			if f := leaksIn(out, secretForms(testHostileSecret, testToken)); f != "" || strings.Contains(out, "stamp-test-secret") {
				t.Errorf("%s printed a secret: %s", format, out)
			}
			if !strings.Contains(out, "mail.example.test") || !strings.Contains(out, Mask) {
				t.Errorf("%s hides too much: %s", format, out)
			}
		}
	}
	if fmt.Sprint(Config{Host: "h"}) == fmt.Sprint(Config{Host: "h", Password: "p"}) {
		t.Error("a set password and none print the same")
	}
}
