#!/usr/bin/env bash
# dist.sh — builds Stamp's release archives into a fresh dist/ (run it as
# make dist, which installs the pinned tools and passes their paths in FYNE and
# GO_WINRES):
#
#   dist/Stamp-VERSION-linux-amd64.tar.xz    fyne package: bin/stamp, the desktop
#                                           entry, the icon and a Makefile
#                                           (sudo make install / make user-install)
#   dist/stamp_VERSION-1_amd64.deb           nfpm from packaging/nfpm.yaml: stamp and
#                                           stamp-send in /usr/bin, the desktop entry
#                                           (mailto: handler), hicolor icons, AppStream
#                                           metainfo, copyright; Depends from dpkg-shlibdeps
#   dist/Stamp-VERSION-windows-amd64.zip     Stamp.exe: mingw-w64 cross build, GUI
#                                           subsystem, icon, manifest and version info
#   dist/Stamp-VERSION-setup.exe             NSIS (packaging/windows/stamp.nsi): a per-user
#                                           installer of Stamp.exe and stamp-send.exe
#   dist/SHA256SUMS
#
# Both binaries are built from one snapshot: the committed HEAD in a git
# checkout (so the commit in --version and About is exactly what was built,
# and half-done edits in the tree cannot leak into a release), else the tree
# as it is. fyne package runs on the snapshot's FyneApp.toml, so the Build
# number it raises never touches the tree.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
: "${FYNE:?}" "${GO_WINRES:?}" "${NFPM:?}"
FYNE=$root/$FYNE GO_WINRES=$root/$GO_WINRES NFPM=$root/$NFPM
GO=${GO:-go}
toml_before=$(sha256sum FyneApp.toml)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
step() { echo "dist: $*"; }

src=$tmp/src
mkdir -p "$src"
if COMMIT=$(git describe --always 2>/dev/null); then
  git archive HEAD | tar -xf - -C "$src"
  git diff --quiet HEAD 2>/dev/null || echo "dist: note: building the committed $COMMIT; uncommitted changes in the tree are not included"
else
  COMMIT=
  tar --exclude=./bin --exclude=./dist --exclude=./test-output -cf - . | tar -xf - -C "$src"
fi
# The version and the commit are read from the snapshot, not the tree.
VERSION=$(sed -n 's/^Version *= *"\(.*\)"/\1/p' "$src/FyneApp.toml")
BUILD=$(sed -n 's/^Build *= *\([0-9]*\)/\1/p' "$src/FyneApp.toml")
name=Stamp-$VERSION
ldflags="-s -w -X stamp/internal/version.Version=$VERSION -X stamp/internal/version.Commit=$COMMIT"
# Stamp's own OAuth 2 client IDs, when the packager set them (the
# environment, or oauth-client-ids.mk through make dist): see the Makefile.
oauth=$(scripts/oauth-ldflags.sh)
ldflags="$ldflags $oauth"
step "client IDs built in: ${oauth:+yes (Google and/or Microsoft)}${oauth:-none (a development build: accounts need their own)}"

# Linux: build the binary, then hand it to fyne package from the snapshot's
# root, where FyneApp.toml (name, ID, icon, desktop entry fields) is.
step "building the Linux binary ($VERSION, commit ${COMMIT:-unknown})"
# PIE: Debian's hardening (lintian checks the .deb's binaries).
(cd "$src" && CGO_ENABLED=1 "$GO" build -buildmode=pie -ldflags "$ldflags" -o "$tmp/linux/stamp" ./cmd/stamp)
step "fyne package ($("$FYNE" version 2>/dev/null | head -1))"
(cd "$src" && "$FYNE" package -os linux --executable "$tmp/linux/stamp")
rm -rf dist
mkdir dist
mv "$src/Stamp.tar.xz" "dist/$name-linux-amd64.tar.xz"

# The .deb: stamp-send beside stamp, Depends computed from the binary's
# shared libraries, the copyright with the licences of the Go modules
# linked in, then nfpm on the checked-in spec.
step "building stamp-send and the .deb ($(basename "$(dirname "$NFPM")"))"
stage=$tmp/deb
mkdir -p "$stage/debian"
cp "$tmp/linux/stamp" "$stage/stamp"
(cd "$src" && CGO_ENABLED=1 "$GO" build -buildmode=pie -ldflags "$ldflags" -o "$stage/stamp-send" ./cmd/stamp-send)
printf 'Source: stamp\n\nPackage: stamp\nArchitecture: amd64\n' >"$stage/debian/control"
shlibs=$(cd "$stage" && dpkg-shlibdeps -O -e stamp -e stamp-send 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
[ -n "$shlibs" ] || { echo "dist: dpkg-shlibdeps found no libraries for stamp" >&2; exit 1; }
"$src/scripts/deb-copyright.sh" "$stage/stamp" >"$stage/copyright"
for m in stamp stamp-send; do gzip -9n <"$src/packaging/linux/$m.1" >"$stage/$m.1.gz"; done
printf 'stamp (%s-1) unstable; urgency=medium\n\n  * Stamp %s: see /usr/share/metainfo/app.stampmail.stamp.metainfo.xml.\n\n -- Stamp contributors <maintainers@stampmail.app>  %s\n' \
  "$VERSION" "$VERSION" "$(date -R -d "@$(git log -1 --format=%ct 2>/dev/null || date +%s)")" | gzip -9n >"$stage/changelog.Debian.gz"
deps=$(tr ',' '\n' <<<"$shlibs" | sed 's/^ *//; s/^/  - /')
DEPS=$deps awk '/^  @SHLIBS_DEPENDS@$/ { print ENVIRON["DEPS"]; next } { print }' "$src/packaging/nfpm.yaml" |
  sed -e "s|\${STAMP_VERSION}|$VERSION|g" -e "s|\${STAMP_STAGE}|$stage|g" -e "s|\${STAMP_SRC}|$src|g" >"$stage/nfpm.yaml"
deb=stamp_${VERSION}-1_amd64.deb
SOURCE_DATE_EPOCH=$(git log -1 --format=%ct 2>/dev/null || date +%s) "$NFPM" package --config "$stage/nfpm.yaml" --packager deb --target "dist/$deb" >/dev/null

# Windows: go-winres turns the icon, a GUI manifest (DPI-aware, common
# controls 6) and the version info into a .syso next to main, which go build
# links in; -H=windowsgui keeps a console window from opening.
step "building Stamp.exe with x86_64-w64-mingw32-gcc (several minutes the first time)"
"$GO_WINRES" simply --arch amd64 --out "$src/cmd/stamp/rsrc" --manifest gui \
  --icon "$src/assets/icon.png" \
  --product-name Stamp --file-description "Stamp mail composer" \
  --product-version "$VERSION" --file-version "$VERSION.$BUILD" \
  --original-filename Stamp.exe --copyright "Stamp contributors"
mkdir -p "$tmp/windows"
(cd "$src" && CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc \
  "$GO" build -ldflags "-H=windowsgui $ldflags" -o "$tmp/windows/Stamp.exe" ./cmd/stamp)
(cd "$tmp/windows" && zip -q -9 "$root/dist/$name-windows-amd64.zip" Stamp.exe)

# The installer: stamp-send.exe (pure Go) beside Stamp.exe, then makensis.
step "building the Windows installer with makensis"
(cd "$src" && CGO_ENABLED=0 GOOS=windows GOARCH=amd64 "$GO" build -trimpath -ldflags "-s -w" -o "$tmp/windows/stamp-send.exe" ./cmd/stamp-send)
(cd "$src/packaging/windows" && makensis -V2 -DVERSION="$VERSION" -DBUILD="$BUILD" -DSRC="$tmp/windows" \
  -DOUTFILE="$root/dist/$name-setup.exe" stamp.nsi)

(cd dist && sha256sum "$name-linux-amd64.tar.xz" "$deb" "$name-windows-amd64.zip" "$name-setup.exe" >SHA256SUMS)
[ "$(sha256sum FyneApp.toml)" = "$toml_before" ] || { echo "dist: FyneApp.toml changed while packaging" >&2; exit 1; }
step "done:"
ls -l dist/
