#!/usr/bin/env bash
# oauth-ldflags.sh — prints the linker flags that build Stamp's own OAuth 2
# client IDs into stamp/oauth (GoogleClientID, GoogleClientSecret,
# MicrosoftClientID), from STAMP_GOOGLE_CLIENT_ID, STAMP_GOOGLE_CLIENT_SECRET
# and STAMP_MICROSOFT_CLIENT_ID (the environment, or the git-ignored
# oauth-client-ids.mk the Makefile reads and exports). Unset or empty: no
# flag, so a development build has none. make build and scripts/dist.sh
# call it; it never prints the values anywhere else.
set -euo pipefail
flags=
add() { # add VAR NAME: -X stamp/oauth.NAME=$VAR when set
  local v=${!1:-}
  [ -n "$v" ] || return 0
  # Client IDs and Google's desktop secret are URL-safe words; anything
  # else (a space, a quote, a line break) would break the flag or the build.
  if [[ ! $v =~ ^[A-Za-z0-9._~-]+$ ]]; then
    echo "oauth-ldflags: $1 holds characters a client ID never has (letters, digits, . _ ~ - only)" >&2
    exit 1
  fi
  flags+=" -X stamp/oauth.$2=$v"
}
add STAMP_GOOGLE_CLIENT_ID GoogleClientID
add STAMP_GOOGLE_CLIENT_SECRET GoogleClientSecret
add STAMP_MICROSOFT_CLIENT_ID MicrosoftClientID
if [ -n "${STAMP_GOOGLE_CLIENT_SECRET:-}" ] && [ -z "${STAMP_GOOGLE_CLIENT_ID:-}" ]; then
  echo "oauth-ldflags: STAMP_GOOGLE_CLIENT_SECRET is set without STAMP_GOOGLE_CLIENT_ID" >&2
  exit 1
fi
printf '%s\n' "${flags# }"
