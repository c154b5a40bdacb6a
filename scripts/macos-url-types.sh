#!/usr/bin/env bash
# macos-url-types.sh Stamp.app — declares Stamp as a handler of mailto: links
# in the app's Info.plist (CFBundleURLTypes), after fyne package made it
# (FyneApp.toml has no field for URL types). Runs on a Mac: PlistBuddy is
# macOS's. Sign the app after this, never before: it changes the bundle.
#
# Then System Settings (or Mail › Settings › General › Default email
# reader) can choose Stamp. Note: Fyne does not yet pass the link macOS
# sends a running app (the kAEGetURL Apple Event) on to Stamp, so until it
# does a clicked link starts Stamp without the message filled in; links
# given on the command line (open -a Stamp --args 'mailto:…') work.
set -euo pipefail
app=${1:?usage: macos-url-types.sh Stamp.app}
plist=$app/Contents/Info.plist
[ -f "$plist" ] || { echo "macos-url-types: no $plist" >&2; exit 1; }
pb=/usr/libexec/PlistBuddy
"$pb" -c 'Delete :CFBundleURLTypes' "$plist" 2>/dev/null || true
"$pb" -c 'Add :CFBundleURLTypes array' \
  -c 'Add :CFBundleURLTypes:0 dict' \
  -c 'Add :CFBundleURLTypes:0:CFBundleURLName string app.stampmail.stamp.mailto' \
  -c 'Add :CFBundleURLTypes:0:CFBundleTypeRole string Editor' \
  -c 'Add :CFBundleURLTypes:0:CFBundleURLSchemes array' \
  -c 'Add :CFBundleURLTypes:0:CFBundleURLSchemes:0 string mailto' "$plist"
plutil -lint "$plist"
echo "macos-url-types: $app handles mailto: links"
