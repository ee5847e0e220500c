# tests/bench/summary.sh: one table for make bench.  Source it.
#   BENCH_SUMMARY  the file the rows go to (tests/bench/run.sh sets it);
#                  unset, row does nothing
# row WHAT VALUE BAR MET: one row of the summary; MET is 1 or 0.
row() {
	[ -n "${BENCH_SUMMARY:-}" ] || return 0
	if [ "$4" = 1 ]; then m=ok; else m=MISSED; fi
	printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$m" >>"$BENCH_SUMMARY"
}
