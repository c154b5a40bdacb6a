#!/usr/bin/env bash
# deps.sh GROUP... — makes sure the Debian/Ubuntu packages that Stamp's build
# and tests need are installed. As root it installs what is missing with
# apt-get; otherwise it uses sudo when that works without a password, and
# else prints the exact command to run and fails. On systems without dpkg
# (macOS, Windows, other Linux) it says what to install and carries on.
#
# Groups: build (cgo + X11/GL headers for Fyne; fonts-noto-cjk, about 56 MB
# to download and 91 MB installed, so Chinese, Japanese and Korean text
# renders: Fyne draws glyphs its theme lacks with a system font; the lighter
# fonts-wqy-microhei, 5 MB, works too), test (Xvfb, keyring, Chromium for the OAuth sign-in, the
# independent SMTP server, tesseract with Simplified Chinese for
# scripts/ocr-check.sh, fcitx5 and ibus with pinyin for the input-method
# window test), bench (the programs Stamp is compared with),
# dist (make dist: the mingw-w64 cross compiler for Stamp.exe, xz and zip for
# the archives, dpkg-shlibdeps for the .deb's Depends, makensis for the
# Windows installer; file, the mingw objdump, strings, desktop-file-validate,
# appstreamcli, lintian, 7z and xdg-mime for make dist-check).
set -euo pipefail

declare -A group
group[build]="gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev libxext-dev fonts-noto-cjk"
group[test]="xvfb xauth xdotool xclip x11-utils imagemagick openbox wmctrl dbus dbus-x11 gnome-keyring libsecret-tools python3 python3-aiosmtpd openssl procps psmisc file chromium tesseract-ocr tesseract-ocr-chi-sim fcitx5 fcitx5-chinese-addons ibus ibus-libpinyin"
group[bench]="curl msmtp swaks time"
group[dist]="gcc-mingw-w64-x86-64 binutils-mingw-w64-x86-64 mingw-w64-x86-64-dev xz-utils zip unzip file binutils desktop-file-utils dpkg-dev nsis appstream lintian p7zip-full xdg-utils"

want=()
for g in "$@"; do
  [ -n "${group[$g]+x}" ] || { echo "deps.sh: unknown group '$g' (build, test, bench, dist)" >&2; exit 2; }
  want+=(${group[$g]})
done

if ! command -v go >/dev/null 2>&1; then
  echo "deps.sh: Go is not installed or not on PATH. Install Go 1.26 or newer from your package manager or the Go website, then run this again." >&2
  exit 1
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
  case "$(uname -s)" in
    Darwin) echo "deps.sh: macOS: Fyne needs the Xcode command line tools (xcode-select --install); nothing else to install." ;;
    MINGW*|MSYS*|CYGWIN*) echo "deps.sh: Windows: Fyne needs a C compiler such as MSYS2's mingw-w64-x86_64-gcc on PATH." ;;
    *) echo "deps.sh: not a Debian/Ubuntu system: install the equivalents of: ${want[*]}" ;;
  esac
  exit 0
fi

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps.sh: installing missing packages: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo=(sudo -n)
else
  echo "deps.sh: these packages are missing and I am not root. Run:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "deps.sh: installed ${missing[*]}"
