#!/usr/bin/env bash
# dist.sh — builds Stamp's release archives into dist/ (run it as make dist,
# which installs the pinned tools and passes VERSION, BUILD, COMMIT, FYNE and
# GO_WINRES):
#
#   dist/Stamp-VERSION-linux-amd64.tar.xz    fyne package: bin/stamp, the desktop
#                                           entry, the icon and a Makefile
#                                           (sudo make install / make user-install)
#   dist/Stamp-VERSION-windows-amd64.zip     Stamp.exe: mingw-w64 cross build, GUI
#                                           subsystem, icon, manifest and version info
#   dist/SHA256SUMS
#
# Both binaries are built from one snapshot of the working tree (others may be
# editing it meanwhile), and fyne package runs on a copy of FyneApp.toml, so the
# Build number it raises never touches the tree.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
: "${VERSION:?}" "${BUILD:?}" "${COMMIT:?}" "${FYNE:?}" "${GO_WINRES:?}"
FYNE=$root/$FYNE GO_WINRES=$root/$GO_WINRES
GO=${GO:-go}
name=Stamp-$VERSION
ldflags="-s -w -X stamp/internal/version.Version=$VERSION -X stamp/internal/version.Commit=$COMMIT"
toml_before=$(sha256sum FyneApp.toml)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
step() { echo "dist: $*"; }

# One snapshot: the files git tracks plus new ones it does not ignore.
src=$tmp/src
mkdir -p "$src"
git ls-files -z --cached --others --exclude-standard | xargs -0 -I{} sh -c '[ -f "$1" ] && echo "$1"' _ {} |
  tar -cf - -T - | tar -xf - -C "$src"

# Linux: build the binary, then hand it to fyne package from the snapshot's
# root, where FyneApp.toml (name, ID, icon, desktop entry fields) is.
step "building the Linux binary ($VERSION, commit $COMMIT)"
(cd "$src" && CGO_ENABLED=1 "$GO" build -ldflags "$ldflags" -o "$tmp/linux/stamp" ./cmd/stamp)
step "fyne package ($("$FYNE" version 2>/dev/null | head -1))"
(cd "$src" && "$FYNE" package -os linux --executable "$tmp/linux/stamp")
mkdir -p dist
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
rm -f "dist/$name-windows-amd64.zip"
(cd "$tmp/windows" && zip -q -9 "$root/dist/$name-windows-amd64.zip" Stamp.exe)

(cd dist && sha256sum "$name-linux-amd64.tar.xz" "$name-windows-amd64.zip" >SHA256SUMS)
[ "$(sha256sum FyneApp.toml)" = "$toml_before" ] || { echo "dist: FyneApp.toml changed while packaging" >&2; exit 1; }
step "done:"
ls -l dist/
