#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what the tests need from the machine's package
# manager (PostgreSQL binaries for the throwaway test cluster, Chromium and poppler for the report's
# browser and PDF checks, a CJK font for the fallback-font tests) when it is missing, then runs every test. CI runs exactly this (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
if [ -z "${LLMLOG_TEST_PG:-}" ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then need+=(postgresql); fi
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
# A font with CJK characters, or the tests of names drawn in a fallback font skip (they say so in the summary).
cjk=no
for font in /usr/share/fonts/truetype/droid/DroidSansFallback*.ttf /usr/share/fonts/opentype/noto/NotoSansCJK*.ttc; do [ -e "$font" ] && cjk=yes; done
[ "$cjk" = yes ] || need+=(fonts-droid-fallback)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "Installing test dependencies: ${need[*]}"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "Missing test dependencies: ${need[*]} — install them (sudo sh tests/install-test-deps.sh, or sudo apt-get install ${need[*]}) and run again." >&2
    exit 1
  fi
fi

# The test host and the processes it starts make no debugger pipes or diagnostics sockets in /tmp, which those it ends
# by force (and the host itself, ended by the runner) would leave behind. Set it to 1 for --blame-hang-dump.
export DOTNET_EnableDiagnostics=${DOTNET_EnableDiagnostics:-0}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
dotnet test LlmLogPipeline.sln -c Release --nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# One plain closing line that any CI reader understands.
summary=$(grep -E '^(Passed|Failed)!' "$log" | tail -1)
passed=$(sed -nE 's/.*Passed: +([0-9]+).*/\1/p' <<<"$summary")
failed=$(sed -nE 's/.*Failed: +([0-9]+),.*/\1/p' <<<"$summary")
skipped=$(sed -nE 's/.*Skipped: +([0-9]+).*/\1/p' <<<"$summary")
echo "tests: ${passed:-0} passed, ${failed:-0} failed, ${skipped:-0} skipped"
exit "$status"
