#!/usr/bin/env bash
# deb-copyright.sh BINARY — writes the .deb's /usr/share/doc/stamp/copyright
# to stdout: Stamp's own notice, then every Go module linked into BINARY
# (go version -m) with the licence file from its module folder, since Go
# links them all in. Fails when a module's licence cannot be found, so a
# release never ships without one.
set -euo pipefail
bin=$1
GO=${GO:-go}
modcache=$("$GO" env GOMODCACHE)
cat <<'HEAD'
Stamp — a lightweight desktop mail composer
https://github.com/stamp-mail/stamp

Copyright 2026 Stamp contributors.

The Stamp authors have not yet published a licence for Stamp itself; until
they do, see the project's repository for the terms.

Stamp is written in Go, which links every library it uses into the program.
Those libraries and their licences follow.
HEAD
"$GO" version -m "$bin" | awk '$1 == "dep" || $1 == "=>" { print $2, $3 }' | while read -r mod ver; do
	# The module cache spells capitals as "!" and the lower-case letter.
	dir=$modcache/$(sed 's/[A-Z]/!\L&/g' <<<"$mod")@$ver
	lic=$(ls "$dir"/LICENSE* "$dir"/LICENCE* "$dir"/COPYING* "$dir"/License* 2>/dev/null | head -1) || true
	if [ -z "$lic" ]; then
		echo "deb-copyright: no licence file for $mod $ver in $dir" >&2
		exit 1
	fi
	printf '\n%s\n%s %s\n%s\n\n' "--------------------------------------------------------------------------" "$mod" "$ver" "--------------------------------------------------------------------------"
	if grep -q 'Apache License' "$lic" && grep -q 'Version 2.0, January 2004' "$lic"; then
		# Debian keeps this one text once (lintian wants it referred to).
		echo "Licensed under the Apache License, Version 2.0; on Debian systems its"
		echo "full text is in /usr/share/common-licenses/Apache-2.0."
	else
		cat "$lic"
	fi
done
