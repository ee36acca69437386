#!/usr/bin/env bash
# Builds the two sample projects with Mono's xbuild and checks that WixCheck.targets behaves:
#   - Clean builds, and the (stub) WiX compile runs after the check;
#   - building Clean again skips the check (its stamp is newer than every input), and
#     touching a source runs it again;
#   - RestartManager fails before the WiX compile, and the log has the WXC301 error line with
#     the file, line and column.
# Usage: check-with-xbuild.sh PATH/TO/wixcheck
set -euo pipefail
wixcheck=$(realpath "$1")
cd "$(dirname "$0")"
log=$(mktemp -d)
trap 'rm -rf "$log"; rm -rf Clean/obj Clean/bin RestartManager/obj RestartManager/bin' EXIT
fail() { echo "msbuild sample: $1" >&2; cat "$2" >&2; exit 1; }
build() { xbuild /nologo /p:WixCheckExe="$wixcheck" "$1" > "$2" 2>&1; }
rm -rf Clean/obj Clean/bin RestartManager/obj RestartManager/bin

build Clean/Clean.wixproj "$log/clean.log" || fail "the clean project did not build" "$log/clean.log"
grep -q 'check --format msbuild' "$log/clean.log" || fail "wixcheck did not run" "$log/clean.log"
grep -q '(stub) WiX would compile' "$log/clean.log" || fail "the compile did not run" "$log/clean.log"

build Clean/Clean.wixproj "$log/again.log" || fail "the second build failed" "$log/again.log"
grep -q 'Skipping target "WixCheck" because its outputs are up-to-date' "$log/again.log" \
  || fail "an unchanged project was checked again" "$log/again.log"

sleep 1 && touch Clean/Product.wxs
build Clean/Clean.wixproj "$log/touched.log" || fail "the build after touching failed" "$log/touched.log"
grep -q 'check --format msbuild' "$log/touched.log" || fail "a changed source was not checked" "$log/touched.log"

if build RestartManager/RestartManager.wixproj "$log/bad.log"; then
  fail "the WXC301 project built" "$log/bad.log"
fi
grep -Eq 'error : .*/RestartManager/Product\.wxs\(13,48,13,63\): error WXC301: `SaveRmSessionKey` reads MsiRestartManagerSessionKey' "$log/bad.log" \
  || fail "the log has no WXC301 error with its location" "$log/bad.log"
grep -q '(stub) WiX would compile' "$log/bad.log" && fail "WiX compiled despite the error" "$log/bad.log"
echo "msbuild samples: clean builds and is skipped when unchanged; WXC301 fails the build at Product.wxs(13,48)"
