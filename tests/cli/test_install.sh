#!/bin/bash
# make install DESTDIR=... lays the binary, the config (pointing at the
# installed model), the model, the profiles, the systemd unit with its
# paths filled in and both man pages, which man renders.
set -u
BIN=$(realpath "$1")
cd "$(dirname "$0")/../.."
. tests/lib.sh
trap 'rm -rf "$WORK"' EXIT
D=$WORK/root
make --no-print-directory install DESTDIR="$D" PREFIX=/usr > "$WORK/install.log" 2>&1
check "make install DESTDIR=... PREFIX=/usr succeeds (exit $?)" "[ -x '$D/usr/sbin/gtpclass' ]"
for f in etc/gtpclass/gtpclass.yaml usr/share/gtpclass/model/default.yaml usr/share/gtpclass/model/default.csv \
	usr/share/gtpclass/profiles.yaml usr/lib/systemd/system/gtpclass@.service usr/share/man/man8/gtpclass.8 \
	usr/share/man/man5/gtpclass.yaml.5; do
	check "installed $f" "[ -s '$D/$f' ]"
done
check "the installed config names the installed model" \
	"grep -q '^  model: /usr/share/gtpclass/model/default.yaml' '$D/etc/gtpclass/gtpclass.yaml'"
sed "s#model: /usr#model: $D/usr#" "$D/etc/gtpclass/gtpclass.yaml" > "$WORK/rebased.yaml"
"$D/usr/sbin/gtpclass" check -c "$WORK/rebased.yaml" > "$WORK/check" 2>&1
check "and the installed binary passes it with that model (exit $?)" "grep -q ': ok; model:' '$WORK/check'"
check "the unit has its paths filled in and runs /usr/sbin/gtpclass" \
	"! grep -q '@[A-Z]*@' '$D/usr/lib/systemd/system/gtpclass@.service' && grep -q '^ExecStart=/usr/sbin/gtpclass run -c /etc/gtpclass/%I.yaml -i %I' '$D/usr/lib/systemd/system/gtpclass@.service'"
for page in man8/gtpclass.8 man5/gtpclass.yaml.5; do
	MANWIDTH=80 man -l "$D/usr/share/man/$page" > "$WORK/page" 2> "$WORK/page.err"
	check "man -l renders $page ($(wc -l < "$WORK/page") lines, $(grep -c . "$WORK/page.err") warnings)" \
		"[ \$(wc -l < '$WORK/page') -gt 40 ] && grep -q '^NAME' '$WORK/page' && [ ! -s '$WORK/page.err' ]"
done
MANWIDTH=200 man -l "$D/usr/share/man/man8/gtpclass.8" > "$WORK/page8" 2>/dev/null
check "gtpclass(8) documents every command, the signals and the capabilities" \
	"grep -q '^   verdicts' '$WORK/page8' && grep -q '^   stats' '$WORK/page8' && grep -q 'SIGHUP' '$WORK/page8' && grep -q 'CAP_IPC_LOCK' '$WORK/page8'"
MANWIDTH=200 man -l "$D/usr/share/man/man5/gtpclass.yaml.5" > "$WORK/page5" 2>/dev/null
check "gtpclass.yaml(5) has every key of the reference ($(grep -c '(default:' "$WORK/page5") keys)" \
	"[ \$(grep -c '(default:' '$WORK/page5') = \$(grep -c '^| \`' <(sed -n '/^## Configuration reference/,/^## /p' docs/OPERATIONS.md)) ]"
finish install
