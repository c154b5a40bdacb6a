#!/usr/bin/env bash
# dist-check.sh — checks what make dist built, the way a person would get it:
#
#   Linux    the .tar.xz unpacks; its Makefile installs the binary, the desktop
#            entry and the icon under a DESTDIR; the desktop entry is valid;
#            the installed stamp --version names VERSION; and the installed
#            binary starts under Xvfb, shows its window and the About dialog
#            (screenshots in test-output/dist/) and exits cleanly when closed.
#   .deb     scripts/dist-check-deb.sh: control fields, lintian, installed
#            into a throw-away root and purged again, the desktop entry and
#            metainfo validated, the mailto: handler resolved by xdg-mime.
#   Windows  the .zip holds Stamp.exe, a PE32+ GUI executable (no console
#            window) with an icon, a manifest and version info naming VERSION,
#            that needs no DLL outside Windows itself; the NSIS script
#            compiles, and the installer (listed with 7z) holds exactly that
#            Stamp.exe, stamp-send.exe and an uninstaller. (It is not run:
#            Debian 12's Wine lacks the ProcessPrng Go's runtime needs.)
set -euo pipefail
cd "$(dirname "$0")/.."
# make dist leaves one version in dist/; its name says which.
tarball=$(ls dist/Stamp-*-linux-amd64.tar.xz 2>/dev/null | head -1) || true
[ -n "$tarball" ] || { echo "dist-check: FAIL: no dist/Stamp-*-linux-amd64.tar.xz (run make dist)" >&2; exit 1; }
VERSION=${tarball#dist/Stamp-}
VERSION=${VERSION%-linux-amd64.tar.xz}
zipfile=dist/Stamp-$VERSION-windows-amd64.zip
debfile=dist/stamp_$VERSION-1_amd64.deb
setup=dist/Stamp-$VERSION-setup.exe
out=test-output/dist
fail() { echo "dist-check: FAIL: $*" >&2; exit 1; }
ok() { echo "dist-check: ok: $*"; }
for f in "$tarball" "$zipfile" "$debfile" "$setup"; do [ -f "$f" ] || fail "$f is missing (run make dist)"; done
(cd dist && sha256sum --quiet -c SHA256SUMS) || fail "dist/SHA256SUMS does not match the archives"
ok "archives match dist/SHA256SUMS"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"

# --- Linux ---------------------------------------------------------------
tar -xJf "$tarball" -C "$tmp"
pkg=$tmp/stamp
[ -f "$pkg/Makefile" ] || fail "the tarball has no stamp/Makefile: $(tar -tJf "$tarball" | head)"
make -s -C "$pkg" install DESTDIR="$tmp/root" PREFIX=/usr >/dev/null
bin=$tmp/root/usr/bin/stamp
desktop=$tmp/root/usr/share/applications/app.stampmail.stamp.desktop
icon=$tmp/root/usr/share/pixmaps/app.stampmail.stamp.png
for f in "$bin" "$desktop" "$icon"; do [ -f "$f" ] || fail "make install did not install ${f#"$tmp/root"}"; done
ok "the tarball unpacks and its make install puts stamp, the desktop entry and the icon in place"
cmp -s "$icon" assets/icon.png || fail "the packaged icon is not assets/icon.png"
if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate "$desktop" || fail "the desktop entry is not valid"
fi
grep -qx 'Exec=stamp %F' "$desktop" || fail "the desktop entry does not start 'stamp %F' (open files with Stamp): $(grep Exec "$desktop")"
ok "desktop entry: $(grep -E '^(Name|Exec|Icon|Categories)=' "$desktop" | tr '\n' ' ')"
file -b "$bin" | grep -q 'ELF 64-bit.*x86-64' || fail "stamp is not an x86-64 ELF: $(file -b "$bin")"
v=$("$bin" --version 2>/dev/null)
case $v in "Stamp $VERSION" | "Stamp $VERSION (commit "*) ok "stamp --version: $v" ;; *) fail "stamp --version said '$v', want 'Stamp $VERSION (commit …)'" ;; esac
mods=$(go version -m "$bin")
grep -q "dep[[:space:]]*fyne.io/fyne/v2[[:space:]]" <<<"$mods" || fail "the binary does not record its Fyne version"

xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" \
  dbus-run-session -- bash scripts/dist-check-window.sh "$bin" "$out" 2> >(grep -v 'Failed to set fd limit' >&2)

# --- .deb ----------------------------------------------------------------
scripts/dist-check-deb.sh "$debfile" "$VERSION"

# --- Windows -------------------------------------------------------------
unzip -q "$zipfile" -d "$tmp/win"
exe=$tmp/win/Stamp.exe
[ -f "$exe" ] || fail "the zip does not hold Stamp.exe: $(unzip -l "$zipfile")"
kind=$(file -b "$exe")
[[ $kind == "PE32+ executable (GUI) x86-64"* ]] || fail "Stamp.exe is '$kind', want a PE32+ GUI x86-64 executable"
ok "Stamp.exe: $kind"
headers=$(x86_64-w64-mingw32-objdump -p "$exe")
grep -q 'Subsystem[[:space:]]*00000002[[:space:]]*(Windows GUI)' <<<"$headers" || fail "Stamp.exe is not linked for the Windows GUI subsystem"
# The top level of the resource directory (the entries indented least) lists
# the resource types by number: 3 icon, 14 icon group, 16 version info,
# 24 manifest.
types=$(sed -n '/The .rsrc Resource Directory section/,/^$/p' <<<"$headers" |
  sed -n 's/^[0-9a-f]*   Entry: ID: 0x0*\([0-9a-f]*\),.*/\1/p' | tr '\n' ' ')
for t in 3:icon e:"icon group" 10:"version info" 18:manifest; do
  [[ " $types " == *" ${t%%:*} "* ]] || fail "Stamp.exe has no ${t#*:} resource (type 0x${t%%:*}); its types: $types"
done
ok "Stamp.exe carries an icon, a manifest and version info"
# The version info's strings are UTF-16: each name is followed by its value.
info=$(strings -el "$exe" | sed -n '/^VS_VERSION_INFO$/,/^VarFileInfo$/p')
pv=$(awk 'p { print; exit } /^ProductVersion$/ { p = 1 }' <<<"$info")
fv=$(awk 'p { print; exit } /^FileVersion$/ { p = 1 }' <<<"$info")
[ "$pv" = "$VERSION" ] || fail "Stamp.exe's ProductVersion is '$pv', want $VERSION"
[[ $fv == "$VERSION".* ]] || fail "Stamp.exe's FileVersion is '$fv', want $VERSION.BUILD"
ok "Stamp.exe's version info: ProductVersion $pv, FileVersion $fv"
# DLLs that are part of every Windows; anything else (libwinpthread-1.dll,
# libgcc_s_seh-1.dll, ...) would make Stamp.exe fail to start on a clean PC.
dlls=$(sed -n 's/^[[:space:]]*DLL Name: //p' <<<"$headers" | tr 'A-Z' 'a-z' | sort -u)
for d in $dlls; do
  case $d in
    kernel32.dll | user32.dll | gdi32.dll | opengl32.dll | shell32.dll | ole32.dll | oleaut32.dll | \
      advapi32.dll | winmm.dll | ws2_32.dll | comdlg32.dll | comctl32.dll | imm32.dll | dwmapi.dll | \
      crypt32.dll | secur32.dll | userenv.dll | msvcrt.dll | ntdll.dll | shlwapi.dll | uxtheme.dll | \
      version.dll | dbghelp.dll | bcrypt.dll | bcryptprimitives.dll | powrprof.dll | setupapi.dll | \
      api-ms-win-*.dll | mswsock.dll | iphlpapi.dll | dnsapi.dll | netapi32.dll | winspool.drv | \
      ncrypt.dll | credui.dll | propsys.dll | shcore.dll) ;;
    *) fail "Stamp.exe needs $d, which Windows does not have" ;;
  esac
done
ok "Stamp.exe needs only Windows' own DLLs: $(echo $dlls)"

# The installer: the script compiles (here with stand-in programs, so a
# broken script is found without make dist), and the built installer holds
# the zip's Stamp.exe, stamp-send.exe and the uninstaller NSIS writes.
mkdir -p "$tmp/nsis"
printf 'MZ' >"$tmp/nsis/Stamp.exe"
printf 'MZ' >"$tmp/nsis/stamp-send.exe"
(cd packaging/windows && makensis -V1 -DVERSION="$VERSION" -DSRC="$tmp/nsis" -DOUTFILE="$tmp/nsis/setup.exe" stamp.nsi) ||
  fail "packaging/windows/stamp.nsi does not compile"
kind=$(file -b "$setup")
[[ $kind == "PE32 executable (GUI)"*"Nullsoft Installer self-extracting archive"* ]] || fail "$setup is '$kind', want an NSIS installer"
listing=$(7z l -slt "$setup")
paths=$(sed -n 's/^Path = //p' <<<"$listing" | grep -vxF "$setup" | grep -v '^\$PLUGINSDIR/' | LC_ALL=C sort | tr '\n' ' ')
[ "$paths" = "Stamp.exe Uninstall.exe stamp-send.exe " ] || fail "the installer holds: $paths"
7z e -so "$setup" Stamp.exe 2>/dev/null | cmp -s - "$exe" || fail "the installer's Stamp.exe is not the zip's"
ok "the installer is an NSIS GUI executable holding Stamp.exe (the zip's), stamp-send.exe and Uninstall.exe"
echo "dist-check: all checks passed"
