#!/usr/bin/env bash
# The translation key check alone (it also runs in make unit, with the other
# pure packages): every key the code uses is in every file under
# i18n/translations/, every key there is used, en.json matches the code's
# English, no translation is older than its English (i18n/sources) or drops
# a field. On failure it prints the missing keys ready to paste.
set -euo pipefail
cd "$(dirname "$0")/.."
exec go test -count=1 -run 'TestEveryKeyIsTranslatedAndEveryTranslationUsed|TestTranslationsFollowTheEnglish|TestTranslationsKeepTheEnglishFields' ./i18n/
