#!/bin/sh
# The command line: help, version, usage errors, exit codes, man pages.
. "$(dirname "$0")/../lib.sh"

cmds="agree demo eval export import init label moments prefs resolve review rewrites stats teach train"

dialab --version >"$tmp/out" 2>&1
ok $? "--version exits 0"
like "$tmp/out" '^dialab [0-9]+\.[0-9]+\.[0-9]+$' "and prints the version"
dialab help >"$tmp/out" 2>&1
ok $? "help exits 0"
for c in $cmds; do
	grep -qE "^   $c +[a-z]" "$tmp/out"
	ok $? "help lists $c with a one-line summary"
done
dialab >"$tmp/out" 2>"$tmp/err"
is $? 64 "no command exits 64"
dialab frobnicate >"$tmp/out" 2>"$tmp/err"
is $? 64 "an unknown command exits 64"
like "$tmp/err" "'frobnicate' is not a dialab command" "and says so"
dialab import --bogus >"$tmp/out" 2>"$tmp/err"
is $? 64 "an unknown option exits 64"
like "$tmp/err" "^dialab import: unknown option '--bogus'" "names the option, prefixed 'dialab import:'"
like "$tmp/err" '^usage: dialab import ' "and prints the usage"

# Every command's --help and 'dialab help CMD' show its manual page.
for c in $cmds; do
	dialab "$c" --help >"$tmp/out" 2>"$tmp/err"
	ok $? "dialab $c --help exits 0"
	like "$tmp/out" "dialab-$c" "dialab $c --help shows its manual"
done
dialab help import >"$tmp/out" 2>&1
like "$tmp/out" 'SYNOPSIS' "dialab help import shows the manual"
dialab help format >"$tmp/out" 2>&1
like "$tmp/out" 'dialab-format' "dialab help format shows dialab-format(5)"

# The SYNOPSIS of each page is its command's usage string.
squeeze() { tr -s ' \n\t' '   ' | sed 's/^ //; s/ $//'; }
for c in $cmds; do
	dialab "$c" --no-such-option >/dev/null 2>"$tmp/err"
	sed -n '/^usage: /,$p' "$tmp/err" | sed 's/^usage: //' | squeeze >"$tmp/usage"
	mandoc -Tascii -O width=300 "$top/man/dialab-$c.1" | sed 's/.\x08//g' |
		awk '/^SYNOPSIS/ { f = 1; next } /^[A-Z]/ { f = 0 } f' | squeeze >"$tmp/syn"
	# both empty would compare equal: a usage and a SYNOPSIS must be there
	[ -s "$tmp/usage" ] && [ -s "$tmp/syn" ] && cmp -s "$tmp/usage" "$tmp/syn"
	same=$?
	ok $same "dialab-$c(1) SYNOPSIS matches the usage string"
	[ $same -eq 0 ] || { echo "# usage:    $(cat "$tmp/usage")"; echo "# synopsis: $(cat "$tmp/syn")"; }
done

# Database selection: --db, then $DIALAB_DB, then ./dialab.db.
(cd "$tmp" && DIALAB_DB= dialab init >/dev/null 2>&1)
ok $? "init without --db works"
test -f "$tmp/dialab.db"
ok $? "and creates ./dialab.db"
DIALAB_DB="$tmp/env.db" dialab init >/dev/null 2>&1
test -f "$tmp/env.db"
ok $? "\$DIALAB_DB names the database"
dialab --db "$tmp/opt.db" init --json >"$tmp/out" 2>&1
like "$tmp/out" '^\{"database":"[^"]*opt.db","created":true,"schema":6\}$' "init --json reports what it did"
dialab --db "$tmp/opt.db" init >"$tmp/out" 2>&1
ok $? "init of an existing database succeeds"
like "$tmp/out" 'already a dialab database' "and leaves it as it was"
dialab stats --db "$tmp/opt.db" >"$tmp/out" 2>&1
ok $? "--db also works after the command"
is "$(q "$tmp/opt.db" 'pragma application_id; pragma user_version')" \
	"$(printf '1145848130\n6')" "the file is marked as dialab's, schema 6"

# The annotator: --annotator, then $DIALAB_ANNOTATOR, then the login name.
printf '{"id":"a","turns":[{"text":"hi"}]}\n' >"$tmp/a.jsonl"
dialab --db "$tmp/opt.db" --annotator zoe import "$tmp/a.jsonl" >/dev/null 2>&1
is "$(q "$tmp/opt.db" 'select annotator from imports')" zoe "--annotator is recorded"
printf '{"id":"b","turns":[{"text":"hi"}]}\n' >"$tmp/b.jsonl"
DIALAB_ANNOTATOR=yan dialab --db "$tmp/opt.db" import "$tmp/b.jsonl" >/dev/null 2>&1
is "$(q "$tmp/opt.db" 'select annotator from imports order by id desc limit 1')" yan \
	"\$DIALAB_ANNOTATOR is recorded"

# Errors: exit codes and nothing half-written.
dialab --db "$tmp/missing.db" stats >"$tmp/out" 2>"$tmp/err"
is $? 66 "stats on a missing database exits 66"
like "$tmp/err" '^dialab stats: .*missing.db: no database here' "and says so"
test ! -e "$tmp/missing.db"
ok $? "and does not create it"
dialab --db "$tmp/opt.db" export -o "$tmp/no/such/dir/out.jsonl" >"$tmp/out" 2>"$tmp/err"
is $? 73 "export to an impossible place exits 73"
dialab --db "$tmp/opt.db" export -o "$tmp/out.jsonl" 2>"$tmp/err"
ok $? "export -o writes a file"
is "$(wc -l <"$tmp/out.jsonl")" 2 "with every dialogue"
ls "$tmp" | grep -q '\.tmp\.'
is $? 1 "and leaves no temporary file"
if [ -w /dev/full ]; then
	dialab --db "$tmp/opt.db" export >/dev/full 2>"$tmp/err"
	is $? 74 "a full disk on stdout exits 74"
else
	skip 1 "no /dev/full"
fi
done_testing
