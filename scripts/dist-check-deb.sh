#!/usr/bin/env bash
# dist-check-deb.sh DEB VERSION — checks the .deb make dist built, as
# scripts/dist-check.sh's Linux package part:
#
#   - its control fields: Depends from dpkg-shlibdeps (libc6, libgl1,
#     libx11-6, …), Recommends a keyring and CJK fonts;
#   - lintian (errors and warnings fail; PIE binaries, the Apache-2.0
#     text referred to, manual pages and a changelog keep it quiet);
#   - it installs into a throw-away root (dpkg --root, its maintainer
#     script run without chroot), where the desktop entry and the
#     metainfo validate, and xdg-mime, with XDG_* folders of its own,
#     resolves x-scheme-handler/mailto to Stamp's desktop entry;
#   - dpkg --purge leaves no file of it behind.
set -euo pipefail
deb=$1 VERSION=$2
fail() { echo "dist-check: FAIL: $*" >&2; exit 1; }
ok() { echo "dist-check: ok: $*"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = stamp ] || fail "the package is called '$(field Package)'"
[ "$(field Version)" = "$VERSION-1" ] || fail "the package's version is '$(field Version)', want $VERSION-1"
depends=$(field Depends)
for lib in libc6 libgl1 libx11-6; do
	[[ ", $depends," == *", $lib"[\ ,]* ]] || fail "Depends lacks $lib: $depends"
done
[ "$(field Recommends)" = "gnome-keyring | kwalletmanager, fonts-noto-cjk" ] || fail "Recommends is '$(field Recommends)'"
ok "Depends: $depends; Recommends: $(field Recommends)"

want="./usr/bin/stamp ./usr/bin/stamp-send ./usr/share/applications/app.stampmail.stamp.desktop
./usr/share/icons/hicolor/scalable/apps/app.stampmail.stamp.svg ./usr/share/icons/hicolor/256x256/apps/app.stampmail.stamp.png
./usr/share/metainfo/app.stampmail.stamp.metainfo.xml ./usr/share/doc/stamp/copyright ./usr/share/doc/stamp/changelog.Debian.gz
./usr/share/man/man1/stamp.1.gz ./usr/share/man/man1/stamp-send.1.gz"
files=$(dpkg-deb -c "$deb" | awk '{ print $6 }')
for f in $want; do grep -qxF "$f" <<<"$files" || fail "the .deb has no $f"; done
ok "the .deb holds stamp, stamp-send, the desktop entry, both icons, the metainfo, copyright, changelog and manual pages"

# lintian: the package as Debian's tools judge it.
lintian --fail-on error,warning --tag-display-limit 0 "$deb" >"$tmp/lintian.txt" 2>&1 || {
	cat "$tmp/lintian.txt" >&2
	fail "lintian found errors or warnings"
}
ok "lintian: no errors or warnings"

# A throw-away root with its own dpkg database; the dependencies are this
# machine's business, not the root's.
root=$tmp/root
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates"
touch "$root/var/lib/dpkg/status"
DPKG=(dpkg --root="$root" --force-script-chrootless --force-depends --log=/dev/null)
"${DPKG[@]}" -i "$deb" >"$tmp/install.txt" 2>&1 || { cat "$tmp/install.txt" >&2; fail "dpkg -i into a throw-away root failed"; }
grep -q "xdg-mime default app.stampmail.stamp.desktop x-scheme-handler/mailto" "$tmp/install.txt" ||
	fail "the first install does not offer xdg-mime default: $(cat "$tmp/install.txt")"
ok "installs into a throw-away root and offers: xdg-mime default app.stampmail.stamp.desktop x-scheme-handler/mailto"
desktop=$root/usr/share/applications/app.stampmail.stamp.desktop
desktop-file-validate "$desktop" || fail "the installed desktop entry is not valid"
grep -qx 'Exec=stamp --url %u' "$desktop" || fail "the desktop entry does not start 'stamp --url %u': $(grep ^Exec "$desktop")"
grep -qx 'MimeType=x-scheme-handler/mailto;' "$desktop" || fail "the desktop entry does not declare the mailto: handler"
appstreamcli validate --no-net --pedantic "$root/usr/share/metainfo/app.stampmail.stamp.metainfo.xml" >"$tmp/as.txt" 2>&1 || {
	cat "$tmp/as.txt" >&2
	fail "appstreamcli validate"
}
ok "desktop-file-validate and appstreamcli validate --no-net pass"
v=$("$root/usr/bin/stamp-send" --help 2>&1 | head -1) || true
[[ $v == usage:* ]] || fail "the installed stamp-send does not run: $v"

# The mailto: handler, as a desktop resolves it: first from the desktop
# entry alone (update-desktop-database's cache), then as the person's
# chosen default.
update-desktop-database "$root/usr/share/applications"
export XDG_DATA_DIRS=$root/usr/share XDG_DATA_HOME=$tmp/xdg-data XDG_CONFIG_HOME=$tmp/xdg-config XDG_CURRENT_DESKTOP=
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME"
got=$(xdg-mime query default x-scheme-handler/mailto)
[ "$got" = app.stampmail.stamp.desktop ] || fail "xdg-mime resolves mailto: to '$got' from the installed entry, want app.stampmail.stamp.desktop"
xdg-mime default app.stampmail.stamp.desktop x-scheme-handler/mailto
got=$(xdg-mime query default x-scheme-handler/mailto)
[ "$got" = app.stampmail.stamp.desktop ] || fail "after xdg-mime default, mailto: resolves to '$got'"
grep -q 'x-scheme-handler/mailto=app.stampmail.stamp.desktop' "$XDG_CONFIG_HOME/mimeapps.list" || fail "xdg-mime default wrote no mimeapps.list entry"
ok "xdg-mime query default x-scheme-handler/mailto: $got"
rm -f "$root/usr/share/applications/mimeinfo.cache" # ours, not the package's

"${DPKG[@]}" --purge stamp >"$tmp/purge.txt" 2>&1 || { cat "$tmp/purge.txt" >&2; fail "dpkg --purge failed"; }
left=$(cd "$root" && find . -mindepth 1 -not -path './var/lib/dpkg*' -not -type d | sort)
[ -z "$left" ] || fail "after dpkg --purge, files are left: $left"
left=$(cd "$root" && find . -mindepth 1 -not -path './var/lib/dpkg*' -not -path './var/lib' -not -path './var' -type d | sort)
[ -z "$left" ] || fail "after dpkg --purge, folders are left: $left"
ok "dpkg --purge leaves nothing behind"
