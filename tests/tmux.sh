# tests/tmux.sh: driving dialab in tmux for the TUI tests.  Source it after lib.sh.
if ! command -v tmux >/dev/null 2>&1; then
	echo "1..0 # SKIP no tmux"
	exit 0
fi
sock=dialab-t-$$
# Sessions keep files under the home folder (the teach history): the test's own.
HOME=$tmp/home
export HOME
unset XDG_STATE_HOME
mkdir -p "$HOME"
tm() { tmux -L "$sock" "$@"; }
trap 'tm kill-server 2>/dev/null; rm -rf "$tmp"' EXIT

screen() { tm capture-pane -p -t "$1"; }
# wait_for NAME REGEX: poll the screen (no fixed sleeps), up to 10 s
wait_for() {
	i=0
	while [ $i -lt 200 ]; do
		screen "$1" | grep -qE -- "$2" && return 0
		sleep 0.05
		i=$((i + 1))
	done
	screen "$1" | sed 's/^/#   /' | head -n 30
	return 1
}
keys() { tm send-keys -t "$@"; }
# until_true CMD...: poll CMD (no fixed sleeps) until it succeeds, up to 10 s
until_true() {
	i=0
	while [ $i -lt 200 ]; do
		"$@" && return 0
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}
db_is() { [ "$(q "$1" "$2")" = "$3" ]; }
# wait_db DB SQL WANT: until the query gives WANT
wait_db() { until_true db_is "$@"; }
gone() { ! tm has-session -t "$1" 2>/dev/null; }
# wait_gone NAME: until the session has ended (the program quit)
wait_gone() { until_true gone "$1"; }
# wait_file FILE: until FILE is not empty
wait_file() { until_true test -s "$1"; }
