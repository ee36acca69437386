#!/usr/bin/env bash
# Builds the fuzz seed corpus in fuzz/corpus/pipeline from the repository's own fixtures and
# samples (never from ../shared), plus a few inputs for the decoder: UTF-16 with a BOM and a
# Windows-1252 declaration. Each seed gets the selector byte the target reads first.
set -euo pipefail
cd "$(dirname "$0")"
out=corpus/pipeline
mkdir -p "$out"
n=0
seed() { # seed SELECTOR FILE...
  local selector=$1; shift
  n=$((n + 1))
  { printf "\\x$selector"; cat "$@"; } > "$out/seed-$n"
}
while IFS= read -r -d '' file; do
  seed 00 "$file"
  seed 01 "$file"
done < <(find ../tests/fixtures ../samples -type f \( -name '*.wxs' -o -name '*.wxi' \) -print0 | sort -z)
# Several files of one link unit, separated as the target expects.
for dir in ../samples/*/; do
  mapfile -t files < <(find "$dir" -name '*.wxs' | sort)
  if [ "${#files[@]}" -gt 1 ]; then
    for file in "${files[@]}"; do cat "$file"; printf '\n--8<--\n'; done > "$out/unit.tmp"
    seed 00 "$out/unit.tmp"
  fi
done
rm -f "$out/unit.tmp"
first=$(find ../samples -name '*.wxs' | sort | head -1)
printf '\xff\xfe' > "$out/utf16.tmp"
iconv -f UTF-8 -t UTF-16LE "$first" >> "$out/utf16.tmp" 2>/dev/null && seed 02 "$out/utf16.tmp"
rm -f "$out/utf16.tmp"
printf '<?xml version="1.0" encoding="windows-1252"?>\n<Wix xmlns="http://wixtoolset.org/schemas/v4/wxs"><Package Name="Caf\xe9 \x80" Manufacturer="M" Version="1.0.0"/></Wix>\n' > "$out/cp1252.tmp"
seed 06 "$out/cp1252.tmp"
rm -f "$out/cp1252.tmp"
echo "fuzz seeds: $n in $out"
