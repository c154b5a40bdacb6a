package oauth

import "stamp/smtpclient"

// String hides the sign-in's state and PKCE verifier: printing a *SignIn
// with fmt (%v, %+v, %s) shows its provider and redirect address only.
func (s *SignIn) String() string {
	if s == nil {
		return "oauth.SignIn(nil)"
	}
	return "oauth.SignIn{" + string(s.p.Kind) + ", redirect " + s.cfg.RedirectURL +
		", state and verifier " + smtpclient.Mask + "}"
}

// GoString hides the state and verifier from %#v too.
func (s *SignIn) GoString() string { return s.String() }

// String hides the device code: printing a *DeviceSignIn shows its
// provider and verification address only.
func (d *DeviceSignIn) String() string {
	if d == nil {
		return "oauth.DeviceSignIn(nil)"
	}
	return "oauth.DeviceSignIn{" + string(d.p.Kind) + ", " + d.da.VerificationURI + ", device code " + smtpclient.Mask + "}"
}

// GoString hides the device code from %#v too.
func (d *DeviceSignIn) GoString() string { return d.String() }
