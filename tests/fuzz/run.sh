#!/bin/sh
# Runs one libFuzzer harness for a while on a copy of its seed corpus, and
# says in one last line how it went. Used by mk/fuzz.mk (make fuzz,
# make fuzz-short); run from the top of the tree.
#
#   tests/fuzz/run.sh BINARY SECONDS MAX_LEN
#
# The inputs of tests/fuzz/crashes/NAME-* (ones that once crashed it) are
# replayed first. The corpus grows in BINARY's directory, as corpus-NAME (the seeds of
# tests/fuzz/corpus/NAME are copied into it, never written); libFuzzer's
# output goes to NAME.log there, a crashing input to artifacts/. Exits 0
# when the harness ran its time without a crash or a sanitizer report, 1
# otherwise, after the end of the log and the line that reproduces it.
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -u

bin=$1
seconds=$2
max_len=$3
name=$(basename "$bin")
dir=$(dirname "$bin")
seeds=tests/fuzz/corpus/$name
corpus=$dir/corpus-$name
artifacts=$dir/artifacts
log=$dir/$name.log

mkdir -p "$corpus" "$artifacts"
cp "$seeds"/* "$corpus"/

# the inputs that once crashed this harness (tests/fuzz/crashes/NAME-*),
# replayed first: a regression fails at once, whatever the fuzzing finds
replayed=0
for input in tests/fuzz/crashes/"$name"-*; do
	[ -f "$input" ] || continue
	if ! ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
		UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
		"$bin" "$input" > "$dir/$name-replay.log" 2>&1; then
		tail -n 40 "$dir/$name-replay.log"
		echo "$name: CRASH replaying $input (log $dir/$name-replay.log)"
		exit 1
	fi
	replayed=$((replayed + 1))
done
dict=
if [ -f "tests/fuzz/$name.dict" ]; then
	dict=-dict=tests/fuzz/$name.dict
fi

ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=0} \
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
	"$bin" -max_total_time="$seconds" -max_len="$max_len" -timeout=10 \
	-rss_limit_mb=2048 -print_final_stats=1 \
	-artifact_prefix="$artifacts/$name-" $dict "$corpus" > "$log" 2>&1
rc=$?

runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
[ -n "$runs" ] || runs=$(sed -n 's/^#\([0-9]*\).*/\1/p' "$log" | tail -n 1)
[ -n "$runs" ] || runs=0
inputs=$(ls "$corpus" | wc -l)
# libFuzzer names the input it saved
crash=$(sed -n 's/.*Test unit written to //p' "$log" | tail -n 1)

if [ "$rc" = 0 ] && ! grep -qE \
	'ERROR: (AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|libFuzzer)|runtime error:|invariant violated' \
	"$log"; then
	echo "$name: $runs runs in ${seconds}s, corpus of $inputs inputs, $replayed past crash(es) replayed, no crash"
	exit 0
fi

tail -n 40 "$log"
echo "$name: CRASH after $runs runs (exit $rc), log $log"
if [ -n "$crash" ]; then
	echo "$name: reproduce with: $bin $crash"
fi
exit 1
