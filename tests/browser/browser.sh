# tests/browser/browser.sh - what the browser tests share: tests/lib.sh,
# headless Chromium (the file skipped whole without it), and the demo
# district's database as of the morning after its day of work.
. "$(dirname "$0")/../lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
chromium=$(command -v chromium || command -v chromium-browser) || {
	echo "1..0 # skip chromium not installed"
	exit 0
}

# demo_db: scripts/demo's database, CASE_DB set to it, the clock at
# 02:00 on 10 May 2024, the report's night run.
demo_db() {
	export CASE_LOGGER=true CASE_REPORT_DIR="$tmp"
	CASE_DB="$tmp/demo.db" "$top/scripts/demo" >/dev/null 2>&1
	export CASE_DB="$tmp/demo.db"
	export CASE_NOW=2024-05-10T02:00:00+08:00
}

# browse ARGS...: headless Chromium, no network of its own, a profile in
# the test's directory.
browse() {
	timeout 120 "$chromium" --headless --no-sandbox --disable-gpu \
	    --disable-quic --no-first-run --disable-background-networking \
	    --disable-component-update --disable-sync \
	    --user-data-dir="$tmp/profile" --window-size=800,1400 "$@" \
	    2>>"$tmp/chromium.log"
}
