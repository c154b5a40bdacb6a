#!/usr/bin/env bash
# dist.sh — builds Stamp's release archives into a fresh dist/ (run it as
# make dist, which installs the pinned tools and passes their paths in FYNE and
# GO_WINRES):
#
#   dist/Stamp-VERSION-linux-amd64.tar.xz    fyne package: bin/stamp, the desktop
#                                           entry, the icon and a Makefile
#                                           (sudo make install / make user-install)
#   dist/Stamp-VERSION-windows-amd64.zip     Stamp.exe: mingw-w64 cross build, GUI
#                                           subsystem, icon, manifest and version info
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
: "${FYNE:?}" "${GO_WINRES:?}"
FYNE=$root/$FYNE GO_WINRES=$root/$GO_WINRES
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
(cd "$src" && CGO_ENABLED=1 "$GO" build -ldflags "$ldflags" -o "$tmp/linux/stamp" ./cmd/stamp)
step "fyne package ($("$FYNE" version 2>/dev/null | head -1))"
(cd "$src" && "$FYNE" package -os linux --executable "$tmp/linux/stamp")
rm -rf dist
mkdir dist
mv "$src/Stamp.tar.xz" "dist/$name-linux-amd64.tar.xz"

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

(cd dist && sha256sum "$name-linux-amd64.tar.xz" "$name-windows-amd64.zip" >SHA256SUMS)
[ "$(sha256sum FyneApp.toml)" = "$toml_before" ] || { echo "dist: FyneApp.toml changed while packaging" >&2; exit 1; }
step "done:"
ls -l dist/
