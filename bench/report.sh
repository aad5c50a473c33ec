#!/bin/bash
# Writes docs/benchmarks.md and docs/benchmarks.png from the results of
# bench/run.sh (build/bench/run/results): every figure in them is read
# from those files.
#
#   bench/report.sh RESULTS_DIR DOCS_DIR
set -eu
export LC_NUMERIC=C

RES=${1:?usage: report.sh RESULTS_DIR DOCS_DIR}
DOCS=${2:?usage: report.sh RESULTS_DIR DOCS_DIR}
BENCH=$(cd "$(dirname "$0")" && pwd)
MD=$DOCS/benchmarks.md
PNG=$DOCS/benchmarks.png
mkdir -p "$DOCS"
# Sections measured by hand (between "<!-- kept -->" and "<!-- /kept -->"
# lines) are carried over from the file this one replaces, at its end.
KEPT=$(mktemp)
trap 'rm -f "$KEPT"' EXIT
[ -f "$MD" ] && awk '/^<!-- kept -->$/ { on = 1 } on { print } /^<!-- \/kept -->$/ { on = 0; print "" }' "$MD" >"$KEPT"

CONFIGS=(ceiling peer-sqlite module-sqlite peer-mariadb module-mariadb)
FLOWS=(register invite dial)
declare -A LABEL=([ceiling]="ceiling (no lookup)" [peer-sqlite]="peer, SQLite"
	[module-sqlite]="module, SQLite" [peer-mariadb]="peer, MariaDB"
	[module-mariadb]="module, MariaDB")
# The chart's two-line labels: two columns of its data files.
declare -A SHORT=([ceiling]='"ceiling"\t"(no lookup)"' [peer-sqlite]='"peer"\t"SQLite"'
	[module-sqlite]='"module"\t"SQLite"' [peer-mariadb]='"peer"\t"MariaDB"'
	[module-mariadb]='"module"\t"MariaDB"')
declare -A FLOW_LABEL=([register]="REGISTER (digest)" [invite]="INVITE to EXTERNAL"
	[dial]="dial (server → number → trunk)")
# The chart's two-line flow labels.
declare -A FLOW_SHORT=([register]='"REGISTER"\t"(digest)"' [invite]='"INVITE to"\t"EXTERNAL"'
	[dial]='"dial"\t"(server→number)"')
declare -A RTD_LABEL=([register]="authenticated REGISTER → 200"
	[invite]="INVITE → 200 (via the trunk)" [dial]="dialled INVITE → 200 (via the trunk)")
# Each flow's target for the module's highest clean rate, as a fraction of
# the ceiling's in the same run.
declare -A TARGET=([register]=0.95 [invite]=0.95 [dial]=0.97)

med() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print 0; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
machine() { awk -F'\t' -v k="$1" '$1 == k { print $2; exit }' "$RES/machine.tsv"; }
maxrate() { awk -F'\t' -v f="$1" -v c="$2" '$1 == f && $2 == c { print $3 }' "$RES/max.tsv"; }
firstfail() { awk -F'\t' -v f="$1" -v c="$2" '$1 == f && $2 == c { print $4 }' "$RES/max.tsv"; }
# run_at FLOW CONFIG RATE: the last passing run's line at that rate.
run_at() {
	awk -F'\t' -v f="$1" -v c="$2" -v r="$3" \
		'$1 ~ /^step/ && $3 == f && $4 == c && $5 == r && $14 == "pass" { line = $0 } END { print line }' "$RES/runs.tsv"
}
col() { cut -f"$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
# 0.97 -> 97
pct() { awk -v r="$1" 'BEGIN { printf "%d", r * 100 + 0.5 }'; }
micro() { awk -F'\t' -v k="$1" -v n="$2" '$1 == k && $2 == n { print $3 }' "$RES/micro.tsv"; }
# bench/invite-cost.sh's figures: instructions per call
ic() { awk -F'\t' -v k="$1" -v a="$2" -v c="$3" '$1 == k && $2 == a { for (i = 3; i < NF; i += 2) if ($i == c) print $(i + 1) }' "$RES/invite-cost.tsv"; }
alloc_name() { case $1 in qm) echo "q_malloc" ;; qm-nojoin) echo "q_malloc, mem_join=0" ;; *) echo "TLSF" ;; esac; }
invite_cost_section() {
	[ -s "$RES/invite-cost.tsv" ] || return 0
	local a f
	cat <<EOT
### Counted: instructions per call

Timing on this 2-core machine moves from run to run; instructions do not.
\`bench/invite-cost.sh\` runs the same ceiling and module (one SIP worker
each) under callgrind while SIPp makes 200 calls of each INVITE flow (to
EXTERNAL entries; a server's dial-outs; phones' calls to their server,
challenged with 407 and answered: the ceiling accepts the credentials
unchecked), then on new instances 200 registrations, and counts what the worker executes
for them (\`receive_msg()\` and everything under it: the requests and
their replies), per call or registration:

| flow | allocator | ceiling | module | module/ceiling | of which the allocator: ceiling | module | without the allocator: module/ceiling |
|---|---|---:|---:|---:|---:|---:|---:|
EOT
	for f in invite dial phone register; do
		for a in qm qm-nojoin tlsf; do
			awk -v f=$f -v a="$(alloc_name $a)" -v cr="$(ic ${f}_instr $a ceiling)" -v mr="$(ic ${f}_instr $a module)" \
				-v cm="$(ic ${f}_malloc_instr $a ceiling)" -v mm="$(ic ${f}_malloc_instr $a module)" 'BEGIN {
				if (cr == "" || mr == "") exit
				printf "| %s | %s | %d | %d | %.3f | %d | %d | %.3f |\n", f == "invite" ? "INVITE to EXTERNAL" : f == "dial" ? "a server dials a number" : f == "phone" ? "a phone calls its server" : "REGISTER", a, cr, mr, mr / cr, cm, mm, (mr - mm) / (cr - cm) }'
		done
	done
	cat <<EOT

INVITE: what the module's path adds to a call is the last column, about
1% of the worker's instructions. Under q_malloc (mem_join=1, Kamailio's
default) the module's worker nevertheless executes about twice the
ceiling's instructions, and the difference is all in \`qm_malloc()\`: the
two make the same allocations (counted with gdb: the same sites and sizes
but for the ceiling's string concatenations, \`rval_new_empty\` 936 and
\`do_action\` 1024 bytes, and the module's \`rewrite_uri\` and
P-Asserted-Identity), but q_malloc looks for a free fragment bucket by
bucket upward from the size asked for, and the ceiling's short-lived
concatenation buffers leave holes near the small sizes that tm's lump
copies are then cut from, while without them each of those allocations
walks some 2,000 empty buckets to the big free block. The same ceiling
routes with the module loaded and its table in memory count as the
ceiling does (measured once by hand: 639,944 against 638,233 per call):
it is the allocator's search, not the lookup or the table. With
mem_join=0 freed fragments stay whole in their buckets and the next
request finds them at once: the module is then at the ceiling, and the
ceiling itself needs about 30% fewer instructions than with mem_join=1;
TLSF finds a fragment in constant time whatever the history, and needs a
third of q_malloc's instructions.

REGISTER: the ceiling accepts credentials unchecked; the module checks
the digest (the auth module's nonce check and three MD5 computations:
\`MD5Transform\` and \`U_MD5Update\` are most of the difference under
TLSF). That is the price of checking the password at all, not of the
lookup; under q_malloc the allocator's share hides it.
EOT
	plan_cost_section
}

# the same calls through phones_call(), the call plan (LOOKUP_PLAN)
plan_cost_section() {
	grep -q '_plan_instr' "$RES/invite-cost.tsv" || return 0
	local a f
	cat <<EOT

### The call plan against phones_route(), counted

\`bench/invite-cost.sh\` also runs the INVITE flows through a third
instance whose cfg carries the call out with \`phones_call()\`, the call
plan (\`LOOKUP_PLAN\` in \`bench/cfg/lookup-module.cfg\`), instead of
\`phones_route()\` (with, for a phone's call to its server, the
P-Asserted-Identity that cfg/kamailio.cfg added to it around
\`phones_route()\`, which \`phones_call()\` adds itself). Instructions of
the SIP worker per call:

| flow | allocator | phones_route() | phones_call() | ratio | without the allocator: plan/route |
|---|---|---:|---:|---:|---:|
EOT
	for f in invite dial phone; do
		for a in qm qm-nojoin tlsf; do
			awk -F'\t' -v k="${f}_plan_instr" -v a=$a -v f=$f -v an="$(alloc_name $a)" -v mm="$(ic ${f}_malloc_instr $a module)" \
				'$1 == k && $2 == a { pm = $9; sub(/^\([a-z_]*: /, "", pm); sub(/\)$/, "", pm)
				printf "| %s | %s | %d | %d | %.3f | %.3f |\n", f == "invite" ? "INVITE to EXTERNAL" : f == "dial" ? "a server dials a number" : "a phone calls its server", an, $4, $6, $8, ($6 - pm) / ($4 - mm) }' "$RES/invite-cost.tsv"
		done
	done
}

# bench/max-rate.sh's summary lines, as a table
max_rate_section() {
	[ -s "$RES/max-rate.txt" ] || return 0
	cat <<EOT
### As fast as they complete

\`bench/max-rate.sh\` (issue 15's method): \`bench/cfg/minimal.cfg\`
(record_route, the lookup, t_relay; no sanity checks, no logging), SIPp
keeping 80 calls in flight until 20,000 have completed, four rounds with
the ceiling, the module's \`phones_route()\` and its call plan
\`phones_call()\` interleaved, INVITE to EXTERNAL entries, a server's
dial-outs, phones' calls to their server (no pause between ACK and BYE)
and REGISTER with digest, kamailio with 4 workers, \`-M 8\`, 2 GiB of
shared memory; SIPp's callers, trunk and server share the 2 cores. A
rate is taken over the middle 98% of the calls' answers (-trace_rtt), so
that a straggler waiting for a retransmission does not decide it. Ratios
of calls per second, the median of the rounds' ratios (lowest–highest):

EOT
	sed 's/^/- /' "$RES/max-rate.txt"
	cat <<EOT

On this machine a round's rate moves by 10–25% from one run to the next
(the ceiling's own range above): a ratio within that of 1.00 is no
measured difference. The counted instructions above are the figures to
trust for what the lookup costs.
EOT
}

# bench/startup.sh's starts, as a table
startup_section() {
	[ -s "$RES/startup.tsv" ] || return 0
	cat <<EOT
## Start-up at Kamailio's default -M 8: 10,000 to 1,000,000 phones

\`bench/startup.sh\`: \`bench/cfg/bench.cfg\` with the module, \`-M 8\` (Kamailio's
default private memory) and \`-m 2048\`, on SQLite and on MariaDB (a server
of its own, VICIdial's MyISAM table) holding N generated phones, under
TLSF and q_malloc, one start each. Seconds from starting kamailio to the
module's "loaded N phone entries" line (the empty table's start, about
0.03 s, included); shared memory per entry: \`core.shmmem\` real_used less
the empty table's, over N.

| database | phones | TLSF | q_malloc | shared memory per entry | the module's own count |
|---|---:|---:|---:|---:|---:|
EOT
	awk -F'\t' 'NR > 1 { t[$1 "\t" $3 "\t" $2] = $5; shm[$1 "\t" $3 "\t" $2] = $7; b[$1 "\t" $3] = $6; if ($3 == 0) empty[$1 "\t" $2] = $7
			if (!seen[$1 "\t" $3]++) order[++n] = $1 "\t" $3 }
		END {
			for (i = 1; i <= n; i++) {
				split(order[i], k, "\t")
				if (k[2] == 0) continue
				printf "| %s | %d | %.2f s | %.2f s | %.1f bytes | %.1f bytes |\n", k[1] == "sqlite" ? "SQLite" : "MariaDB", k[2],
					t[order[i] "\ttlsf"], t[order[i] "\tqm"],
					(shm[order[i] "\ttlsf"] - empty[k[1] "\ttlsf"]) / k[2], b[order[i]] / k[2]
			}
		}' "$RES/startup.tsv"
	cat <<EOT

Both databases are read in pages (SQLite by rowid ranges, MySQL with
\`fetch_rows\`), so private memory holds one page at a time and 1,000,000
rows load at \`-M 8\`. Under q_malloc the SQLite driver's many small
private-memory allocations per page each search q_malloc's free lists
bucket by bucket (above, "The allocator's share"): about ten times
TLSF's load time at 1,000,000 phones, against under three times for the
MySQL driver.
EOT
}

yes_no() { if awk "BEGIN { exit !($1) }"; then echo "**met**"; else echo "**not met**"; fi; }

# The highest rate every configuration passed, per flow: response times
# side by side at the same load.
common_rate() {
	awk -F'\t' -v f="$1" -v n=${#CONFIGS[@]} '
		$1 ~ /^step/ && $3 == f && $14 == "pass" { if (!seen[$4 "/" $5]++) count[$5]++ }
		END { best = 0; for (r in count) if (count[r] == n && r + 0 > best) best = r + 0; print best }' "$RES/runs.tsv"
}

# --- figures ----------------------------------------------------------------
REF_RATE=$(machine ref_rate)
ALLOC_RATE=$REF_RATE
ROUNDS=$(awk -F'\t' '$1 ~ /^fixed/ { print $1 }' "$RES/runs.tsv" | sort -u | wc -l)
# fixed_values FLOW CONFIG COLUMN: that column of the fixed-rate rounds,
# kamailio's (16) or MariaDB's (17) CPU per call, one a line.
fixed_values() {
	awk -F'\t' -v f="$1" -v c="$2" -v k="$3" '$1 ~ /^fixed/ && $3 == f && $4 == c { print $k }' "$RES/runs.tsv"
}
# fixed_cpu FLOW CONFIG COLUMN: their median.
fixed_cpu() { fixed_values "$@" | med; }
# fixed_span FLOW CONFIG COLUMN: "min–max" (one value when they agree).
fixed_span() {
	fixed_values "$@" | sort -n |
		awk 'NR == 1 { lo = $1 } { hi = $1 } END { if (NR) print (lo == hi ? lo : lo "–" hi) }'
}
fixed_runs() {
	awk -F'\t' -v f="$1" -v c="$2" '$1 ~ /^fixed/ && $3 == f && $4 == c { n++; if ($14 == "pass") p++ } END { printf "%d/%d", p, n }' "$RES/runs.tsv"
}
# cpu_ratio FLOW A B: A's CPU per call (kamailio + MariaDB) over B's,
# round by round (the rounds are interleaved, so each pair ran under the
# same conditions): "median (min–max)", or the one value of a single round.
cpu_ratio() {
	awk -F'\t' -v f="$1" -v a="$2" -v b="$3" '
		$1 ~ /^fixed/ && $3 == f && $4 == a { x[$1] = $16 + $17 }
		$1 ~ /^fixed/ && $3 == f && $4 == b { y[$1] = $16 + $17 }
		END {
			for (r in x) if (r in y && y[r] > 0) printf "%.4f\n", x[r] / y[r]
		}' "$RES/runs.tsv" | sort -n | awk '
		{ v[NR] = $1 }
		END {
			if (NR == 0) { print "n/a"; exit }
			m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			if (NR == 1) printf "%.2f\n", m
			else printf "%.2f (%.2f–%.2f)\n", m, v[1], v[NR]
		}'
}
confirmed() {
	awk -F'\t' -v f="$1" -v c="$2" '$1 == "confirm" && $3 == f && $4 == c { v = $14 } END { print (v == "pass" ? "yes" : v == "" ? "-" : "**no**") }' "$RES/runs.tsv"
}
# The flows run under TLSF too (those to the trunk), and alloc_* FLOW CONFIG.
ALLOC_FLOWS=(invite dial)
alloc_cpu() { fixed_cpu "$1" "$2" 16; }
alloc_runs() { fixed_runs "$1" "$2"; }
alloc_span() { fixed_span "$1" "$2" 16; }
# alloc_over FLOW SUFFIX: the module's kamailio CPU per call less the
# ceiling's, under q_malloc (SUFFIX empty) or TLSF (-tlsf).
alloc_over() {
	awk -v a="$(alloc_cpu "$1" "module-sqlite$2")" -v b="$(alloc_cpu "$1" "ceiling$2")" \
		'BEGIN { printf "%+d", a - b }'
}
declare -A CONF MAX HI P50 P95 P99 CP50 CP95 CP99 CCPU CSPAN CDB COMMON
for f in "${FLOWS[@]}"; do
	COMMON[$f]=$(common_rate "$f")
	for c in "${CONFIGS[@]}"; do
		k=$f/$c
		MAX[$k]=$(maxrate "$f" "$c")
		HI[$k]=$(firstfail "$f" "$c")
		line=$(run_at "$f" "$c" "${MAX[$k]}")
		P50[$k]=$(echo "$line" | col 11)
		P95[$k]=$(echo "$line" | col 12)
		P99[$k]=$(echo "$line" | col 13)
		line=$(run_at "$f" "$c" "${COMMON[$f]}")
		CP50[$k]=$(echo "$line" | col 11)
		CP95[$k]=$(echo "$line" | col 12)
		CP99[$k]=$(echo "$line" | col 13)
		CCPU[$k]=$(fixed_cpu "$f" "$c" 16)
		CSPAN[$k]=$(fixed_span "$f" "$c" 16)
		CDB[$k]=$(fixed_cpu "$f" "$c" 17)
		CONF[$k]=$(confirmed "$f" "$c")
	done
done

# Load: medians over the starts, with 1M rows and with none.
load_col() { awk -F'\t' -v db="$1" -v c="$2" 'NR > 1 && $1 == db { print $c }' "$RES/load.tsv" | med; }
LOAD_N=$(load_col big 2)
T_BIG=$(load_col big 3)
T_EMPTY=$(load_col empty 3)
LOAD_S=$(awk -v a="$T_BIG" -v b="$T_EMPTY" 'BEGIN { printf "%.2f", a - b }')
MOD_BYTES=$(load_col big 4)
SHM_BIG=$(load_col big 5)
SHM_EMPTY=$(load_col empty 5)
SHM_PER=$(awk -v a="$SHM_BIG" -v b="$SHM_EMPTY" -v n="$LOAD_N" 'BEGIN { printf "%.1f", (n > 0 ? (a - b) / n : 0) }')
MOD_PER=$(awk -v a="$MOD_BYTES" -v n="$LOAD_N" 'BEGIN { printf "%.1f", (n > 0 ? a / n : 0) }')
LOADS=$(awk 'NR > 1' "$RES/load.tsv" | wc -l)

L1K=$(micro lookup 1000)
L1M=$(micro lookup 1000000)
LH1K=$(micro lookup_hot 1000)
LH1M=$(micro lookup_hot 1000000)
LOOKUP_X=$(ratio "$L1M" "$L1K")
LOOKUP_HOT_X=$(ratio "$LH1M" "$LH1K")
MICRO_RUNS=$(sed -n 's/^# runs=\([0-9]*\) ops=\([0-9]*\).*/\1 runs of \2 operations/p' "$RES/micro.tsv")

# --- chart --------------------------------------------------------------------
DAT=$RES/chart
mkdir -p "$DAT"
{
	printf '# config'
	for f in "${FLOWS[@]}"; do printf '\t%s' "$f"; done
	printf '\n'
	for c in "${CONFIGS[@]}"; do
		printf "${SHORT[$c]}"
		for f in "${FLOWS[@]}"; do printf '\t%s' "${MAX[$f/$c]:-0}"; done
		printf '\n'
	done
} >"$DAT/rates.dat"
for f in "${FLOWS[@]}"; do
	{
		printf '# config\tp50\tp95\tp99\n'
		for c in "${CONFIGS[@]}"; do
			printf "${SHORT[$c]}"'\t%s\t%s\t%s\n' "${CP50[$f/$c]:-0}" "${CP95[$f/$c]:-0}" "${CP99[$f/$c]:-0}"
		done
	} >"$DAT/rtt-$f.dat"
done
{
	printf '# entries\tuniform\thot\n'
	for n in 1000 100000 1000000; do
		printf '"%s"\t%s\t%s\n' "$(echo $n | sed 's/000000$/M/; s/000$/k/')" "$(micro lookup $n)" "$(micro lookup_hot $n)"
	done
} >"$DAT/lookup.dat"
{
	printf '# config'
	for f in "${FLOWS[@]}"; do printf '\t%s kamailio\t%s mariadb' "$f" "$f"; done
	printf '\n'
	for c in "${CONFIGS[@]}"; do
		printf "${SHORT[$c]}"
		for f in "${FLOWS[@]}"; do printf '\t%s\t%s' "${CCPU[$f/$c]:-0}" "${CDB[$f/$c]:-0}"; done
		printf '\n'
	done
} >"$DAT/cpu.dat"
# The module's highest clean rate over the ceiling's and over the peer's.
{
	printf '# flow\tmodule/ceiling sqlite\tmodule/ceiling mariadb\tmodule/peer sqlite\tmodule/peer mariadb\n'
	for f in "${FLOWS[@]}"; do
		printf "${FLOW_SHORT[$f]}"
		printf '\t%s' "$(ratio "${MAX[$f/module-sqlite]}" "${MAX[$f/ceiling]}")" \
			"$(ratio "${MAX[$f/module-mariadb]}" "${MAX[$f/ceiling]}")" \
			"$(ratio "${MAX[$f/module-sqlite]}" "${MAX[$f/peer-sqlite]}")" \
			"$(ratio "${MAX[$f/module-mariadb]}" "${MAX[$f/peer-mariadb]}")" | sed 's/n\/a/0/g'
		printf '\n'
	done
} >"$DAT/ratios.dat"

gnuplot -e "datdir='$DAT'; out='$PNG'; \
	reg_rate='${COMMON[register]}'; inv_rate='${COMMON[invite]}'; dial_rate='${COMMON[dial]}'; \
	ref_rate='$REF_RATE'; resolution='$(pct "$(machine resolution)")'; \
	load_s='$LOAD_S'; shm_per='$SHM_PER'; rule1='$(micro rule_match 1)'; \
	rule10='$(micro rule_match 10)'; \
	alloc_qm='$(alloc_over invite "")'; alloc_tlsf='$(alloc_over invite -tlsf)'; \
	dial_alloc_qm='$(alloc_over dial "")'; dial_alloc_tlsf='$(alloc_over dial -tlsf)'" \
	"$BENCH/chart.gp"

# --- the document ---------------------------------------------------------------
# 12500 -> 12,500
fmt_rate() { echo "${1:-0}" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|[^0-9]\)/\1,\2\3/; ta'; }
rows_rates() {
	local c f
	for c in "${CONFIGS[@]}"; do
		printf '| %s |' "${LABEL[$c]}"
		for f in "${FLOWS[@]}"; do
			printf ' %s (%s) | %s | %s / %s / %s |' "$(fmt_rate "${MAX[$f/$c]}")" \
				"$(fmt_rate "${HI[$f/$c]}")" "${CONF[$f/$c]}" \
				"${P50[$f/$c]:--}" "${P95[$f/$c]:--}" "${P99[$f/$c]:--}"
		done
		printf '\n'
	done
}
rows_common() {
	local c f
	for c in "${CONFIGS[@]}"; do
		printf '| %s |' "${LABEL[$c]}"
		for f in "${FLOWS[@]}"; do
			printf ' %s / %s / %s |' "${CP50[$f/$c]:--}" "${CP95[$f/$c]:--}" "${CP99[$f/$c]:--}"
		done
		printf '\n'
	done
}
# What the ramps' brackets allow for the ratio of two highest clean rates,
# A over B (keys FLOW/CONFIG): each rate is at least its highest passing
# one (MAX) and below its lowest failing one (HI; 0 when none failed: no
# bound), so the ratio lies above A's pass over B's failure and below A's
# failure over B's pass.
# bracket_bounds A B: "lo hi", "-" for no bound.
bracket_bounds() {
	awk -v al="${MAX[$1]:-0}" -v ah="${HI[$1]:-0}" -v bl="${MAX[$2]:-0}" -v bh="${HI[$2]:-0}" 'BEGIN {
		lo = (bh > 0) ? sprintf("%.6f", al / bh) : "-"
		hi = (ah > 0 && bl > 0) ? sprintf("%.6f", ah / bl) : "-"
		print lo, hi
	}'
}
# bracket_range A B: "0.75–1.00", "≥ 0.75", "≤ 1.00" or "no bounds".
bracket_range() {
	local lo hi
	read -r lo hi <<<"$(bracket_bounds "$1" "$2")"
	[ "$lo" = - ] || lo=$(printf '%.2f' "$lo")
	[ "$hi" = - ] || hi=$(printf '%.2f' "$hi")
	if [ "$lo" != - ] && [ "$hi" != - ]; then echo "$lo–$hi"
	elif [ "$lo" != - ]; then echo "≥ $lo"
	elif [ "$hi" != - ]; then echo "≤ $hi"
	else echo "no bounds"; fi
}
bracket_note() { echo "; the brackets allow $(bracket_range "$1" "$2")"; }
# undecided A B T: a note when the brackets allow the ratio on both sides
# of the target T (the bounds themselves are excluded).
undecided() {
	local lo hi
	read -r lo hi <<<"$(bracket_bounds "$1" "$2")"
	awk -v lo="$lo" -v hi="$hi" -v t="$3" 'BEGIN {
		if (lo != "-" && lo + 0 >= t) exit	# met whatever the rates
		if (hi != "-" && hi + 0 <= t) exit	# missed whatever the rates
		printf ", within the brackets"
	}'
}
target_rows() {
	local f db r t k
	for f in "${FLOWS[@]}"; do
		t=${TARGET[$f]}
		for db in sqlite mariadb; do
			k=$f/module-$db
			r=$(ratio "${MAX[$k]}" "${MAX[$f/ceiling]}")
			printf '| module ≥ %s%% of the ceiling, %s, %s | %s (%s vs %s calls/s%s) | %s%s |\n' \
				"$(pct "$t")" "${FLOW_LABEL[$f]}" "$db" "$r" "$(fmt_rate "${MAX[$k]}")" \
				"$(fmt_rate "${MAX[$f/ceiling]}")" "$(bracket_note "$k" "$f/ceiling")" \
				"$(yes_no "\"$r\" != \"n/a\" && $r >= $t")" "$(undecided "$k" "$f/ceiling" "$t")"
		done
	done
	for f in "${FLOWS[@]}"; do
		for db in sqlite mariadb; do
			k=$f/module-$db
			r=$(ratio "${MAX[$k]}" "${MAX[$f/peer-$db]}")
			printf '| module ahead of the peer, %s, %s | %s (%s vs %s calls/s%s) | %s%s |\n' \
				"${FLOW_LABEL[$f]}" "$db" "$r" "$(fmt_rate "${MAX[$k]}")" \
				"$(fmt_rate "${MAX[$f/peer-$db]}")" "$(bracket_note "$k" "$f/peer-$db")" \
				"$(yes_no "\"$r\" != \"n/a\" && $r > 1")" "$(undecided "$k" "$f/peer-$db" 1)"
		done
	done
	printf '| lookup at 1M entries within 1.5× of 1k | %s× (%s ns vs %s ns; keys spread over the whole table) | %s |\n' \
		"$LOOKUP_X" "$L1M" "$L1K" "$(yes_no "$LOOKUP_X <= 1.5")"
	printf '| at most 300 bytes of shared memory per entry | %s bytes (allocator view; the module counts %s) | %s |\n' \
		"$SHM_PER" "$MOD_PER" "$(yes_no "$SHM_PER <= 300")"
	printf '| 1M entries loaded in under 10 s | %s s | %s |\n' "$LOAD_S" "$(yes_no "$LOAD_S < 10")"
}
ratio_rows() {
	local f a b
	for f in "${FLOWS[@]}"; do
		printf '| %s |' "${FLOW_LABEL[$f]}"
		for a in ceiling/sqlite ceiling/mariadb peer/sqlite peer/mariadb; do
			b=${a%/*}
			[ "$b" = ceiling ] || b=$b-${a#*/}
			printf ' %s (%s) |' "$(ratio "${MAX[$f/module-${a#*/}]}" "${MAX[$f/$b]}")" \
				"$(bracket_range "$f/module-${a#*/}" "$f/$b")"
		done
		printf '\n'
	done
}
cpu_ratio_rows() {
	local f
	for f in "${FLOWS[@]}"; do
		printf '| %s | %s | %s | %s | %s | %s |\n' "${FLOW_LABEL[$f]}" \
			"$(cpu_ratio "$f" ceiling module-sqlite)" \
			"$(cpu_ratio "$f" ceiling module-mariadb)" \
			"$(cpu_ratio "$f" ceiling-tlsf module-sqlite-tlsf | sed 's/^n\/a$/-/')" \
			"$(cpu_ratio "$f" peer-sqlite module-sqlite)" \
			"$(cpu_ratio "$f" peer-mariadb module-mariadb)"
	done
}
cpu_rows() {
	local c f
	for c in "${CONFIGS[@]}"; do
		printf '| %s |' "${LABEL[$c]}"
		for f in "${FLOWS[@]}"; do
			printf ' %s (%s) | %s | %s |' "${CCPU[$f/$c]:--}" "${CSPAN[$f/$c]:--}" "${CDB[$f/$c]:--}" \
				"$(awk -v k="${CCPU[$f/$c]:-0}" -v d="${CDB[$f/$c]:-0}" \
					-v ck="${CCPU[$f/ceiling]:-0}" -v cd="${CDB[$f/ceiling]:-0}" \
					'BEGIN { x = k + d - ck - cd; printf "%s%d", (x > 0 ? "+" : ""), x }')"
		done
		printf '\n'
	done
}
micro_rows() {
	local name label n
	for name in lookup lookup_hot auth_check route_check lookup_changed; do
		case $name in
		lookup) label="ph_table_by_extension(), keys uniform over all entries" ;;
		lookup_changed) label="the same, changes held before the table (see below)" ;;
		lookup_hot) label="ph_table_by_extension(), 1,000 distinct keys" ;;
		auth_check) label="ph_auth_check() of SIP phones (REGISTER)" ;;
		route_check) label="ph_route_check() of EXTERNAL entries (INVITE)" ;;
		esac
		printf '| %s |' "$label"
		for n in 1000 100000 1000000; do printf ' %s |' "$(micro $name $n)"; done
		printf '\n'
	done
}
alloc_rows() {
	local c f label
	for c in ceiling module-sqlite; do
		[ $c = ceiling ] && label=ceiling || label="module, SQLite"
		printf '| %s |' "$label"
		for f in "${ALLOC_FLOWS[@]}"; do
			printf ' %s (%s; %s) | %s (%s; %s) |' \
				"$(alloc_cpu $f $c)" "$(alloc_span $f $c)" "$(alloc_runs $f $c)" \
				"$(alloc_cpu $f $c-tlsf)" "$(alloc_span $f $c-tlsf)" "$(alloc_runs $f $c-tlsf)"
		done
		printf '\n'
	done
	printf '| module over the ceiling |'
	for f in "${ALLOC_FLOWS[@]}"; do
		printf ' %s | %s |' "$(alloc_over $f "")" "$(alloc_over $f -tlsf)"
	done
	printf '\n'
}
# One sentence per flow: how much less (or more) CPU kamailio used under
# TLSF, and whether that is more than the lookup's share.
alloc_summary() {
	local f big=1
	for f in "${ALLOC_FLOWS[@]}"; do
		awk -v qc="$(alloc_cpu $f ceiling)" -v tc="$(alloc_cpu $f ceiling-tlsf)" \
			-v qm="$(alloc_cpu $f module-sqlite)" -v tm="$(alloc_cpu $f module-sqlite-tlsf)" \
			-v flow="$([ $f = invite ] && echo INVITE || echo "$f")" 'BEGIN {
			dc = qc ? (qc - tc) * 100 / qc : 0; dm = qm ? (qm - tm) * 100 / qm : 0
			printf "%s: under TLSF kamailio used %.0f%% %s CPU per call in the ceiling and %.0f%% %s\n", \
				flow, dc < 0 ? -dc : dc, dc < 0 ? "more" : "less", dm < 0 ? -dm : dm, dm < 0 ? "more" : "less"
			printf "with the module (medians).\n"
			exit !(dc >= 10 && dm >= 10)
		}' || big=0
		echo
	done
	[ $big = 1 ] && printf 'The memory manager matters more to a busy proxy than the lookup does
(`kamailio -x tlsf`; see the module'"'"'s README).
'
	return 0
}
runs_rows() {
	awk -F'\t' 'NR > 1 {
		printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s / %s / %s | %s + %s | %s |\n",
			$2, $1, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $16, $17, $14 }' "$RES/runs.tsv"
}

QUICK=$(machine quick)
{
	cat <<EOF
# Benchmarks

What the phones module costs in the proxy path, measured side by side with
no lookup at all and with what operators build today from Kamailio's own
modules. Written by \`make bench\` ($(machine date)$([ "$QUICK" = 1 ] && echo ", **BENCH_QUICK=1: a smoke run, coarse figures**")); every
figure below and in the chart comes from that run's measurements
(\`build/bench/run/results/\`).

![Highest clean call rates, response times at a common rate, lookup times](benchmarks.png)

## Targets

Measured and reported here, never asserted by the tests.

| target | measured | |
|---|---|---|
$(target_rows)

The rates are found to within $(awk -v r="$(machine resolution)" 'BEGIN { printf "%d%%", r * 100 }') (the ramp's resolution), and a second run at
the same rate does not always pass again on this shared machine (the
"again" columns below): a rate ratio within a few percent of a target is
a tie, not a verdict.$(awk -v r="$(machine resolution)" -v t="${TARGET[dial]}" 'BEGIN {
	if (r >= 1 - t) printf " The dial flow'"'"'s target, %d%% of the ceiling, lies\nwithin that resolution of 100%%: the ramp cannot tell %d%% from 100%%, it\ncan only show a module far below the ceiling.", t * 100 + 0.5, t * 100 + 0.5 }') The CPU per call at a
fixed rate, further down (with the ceiling's over the module's, round by
round), is the steadier measure of what the lookup costs. Every ratio
here compares configurations measured in the same run, interleaved.

## Highest rate without a failed call

Calls per second (one call: one REGISTER flow, or one whole INVITE … BYE
call), found by ramping, with in brackets the lowest rate that failed;
"again": whether a second run at that rate, after all the ramps, passed
too; then p50 / p95 / p99 response times in ms at the highest clean rate,
of the ${RTD_LABEL[register]}, of the ${RTD_LABEL[invite]} and of the
${RTD_LABEL[dial]}.

| configuration | REGISTER calls/s | again | p50 / p95 / p99 ms | INVITE calls/s | again | p50 / p95 / p99 ms | dial calls/s | again | p50 / p95 / p99 ms |
|---|---:|---|---|---:|---|---|---:|---|---|
$(rows_rates)

Ratios of the highest clean rates:

| flow | module/ceiling, SQLite | module/ceiling, MariaDB | module/peer, SQLite | module/peer, MariaDB |
|---|---:|---:|---:|---:|
$(ratio_rows)

In brackets: what the ramps allow for each ratio, one rate's highest pass
and lowest failure against the other's (each highest clean rate lies
between the two). A target is decided only where that whole range is on
one side of it; "within the brackets" above marks the verdicts it is not.

Response times at the same load for all, the highest rate every
configuration passed (REGISTER $(fmt_rate "${COMMON[register]}") calls/s,
INVITE $(fmt_rate "${COMMON[invite]}") calls/s, dial $(fmt_rate "${COMMON[dial]}") calls/s), p50 / p95 / p99 in ms:

| configuration | REGISTER | INVITE | dial |
|---|---|---|---|
$(rows_common)

CPU time per call at $(fmt_rate "$REF_RATE") calls/s, a load every configuration sustains,
in µs, median (and range) of $ROUNDS interleaved run(s) after the ramps: what the
kamailio instance (all its processes) used, from \`/proc/PID/stat\`
before and after the run, over the calls; and what MariaDB used, for the
configurations on MariaDB (the peer queries it on every call, the module
only at start-up). "over the ceiling" is kamailio's and MariaDB's
together, less the ceiling's: what the lookup costs (for REGISTER also
the digest check itself, which the ceiling skips). The ranges show how
far one configuration's runs lie apart on this machine: a difference
between configurations smaller than that is not a measured cost.

| configuration | REGISTER: kamailio | MariaDB | over the ceiling | INVITE: kamailio | MariaDB | over the ceiling | dial: kamailio | MariaDB | over the ceiling |
|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|
$(cpu_rows)

The same CPU per call (kamailio's and MariaDB's together) as ratios, one
configuration's over another's in each round (the rounds interleave them,
so each pair ran under the same conditions): the median over the
$ROUNDS round(s)$([ "$ROUNDS" -gt 1 ] && echo ", and in brackets the lowest and the highest"). The ceiling's over the module's is what
share of the ceiling's capacity the module would keep were kamailio's CPU
the only limit (1.00: the lookup costs nothing measurable); the peer's
over the module's, how much more CPU the peer needs. The TLSF column
is the ceiling's and the module's instances under TLSF (below, "The
allocator's share"), for the flows to the trunk. A ratio whose range
spans 1.00 is no measured difference; with one round there is no range,
and one run's ratio can be off by the run-to-run spread above.

| flow | ceiling/module, SQLite | ceiling/module, MariaDB | ceiling/module, SQLite, TLSF | peer/module, SQLite | peer/module, MariaDB |
|---|---:|---:|---:|---:|---:|
$(cpu_ratio_rows)

### The allocator's share

Kamailio's default memory manager, q_malloc, looks for a free fragment
bucket by bucket, upward from the size asked for; when the buckets near
that size are empty it walks the empty ones up to the big free block, so
what the start-up and earlier requests left free changes what the next
allocation costs. A worker's private memory between two requests holds
only a handful of small free fragments (seen with \`mem_dump_pkg\`), and
where they lie differs from one configuration to another. \`perf record\`
of the workers on the INVITE flow (not part of \`make bench\`) has put
\`qm_malloc\` at 15–38% of their samples, with and without the module,
mostly under tm's forwarding (\`add_uac\` → \`dup_lump_list\`), not under
\`phones_route()\`. \`make bench\` runs the INVITE and dial flows at $(fmt_rate "$ALLOC_RATE") calls/s for the
ceiling and the module on SQLite under q_malloc and under TLSF
(\`kamailio -x tlsf\`, constant-time), alternated $ROUNDS time(s); kamailio's CPU
per call in µs, median (range; runs that passed):

| | INVITE: q_malloc (default) | TLSF | dial: q_malloc (default) | TLSF |
|---|---:|---:|---:|---:|
$(alloc_rows)

$(alloc_summary)

$(invite_cost_section)

$(max_rate_section)

## The core alone

\`bench/microbench.c\` links the core (\`modules/phones/core/*.c\`) with the
C library's malloc as allocator and times each operation in a loop of
distinct keys held outside the table (as a SIP message's user part is):
ns per operation, median of $MICRO_RUNS.

| ns per operation | 1,000 entries | 100,000 entries | 1,000,000 entries |
|---|---:|---:|---:|
$(micro_rows)

Rule matching, \`ph_rules_translate()\` of EXTERNAL numbers: $(micro rule_match 1) ns
with the benchmarks' one rule (\`^9(1[2-9][0-9]{2}[2-9][0-9]{6})$\` → \`\\1\`),
$(micro rule_match 10) ns with 10 rules of which only the last matches.
Building the 1,000,000-entry table from rows already in memory takes
$(micro build 1000000) ms; the table then holds $(micro table_bytes_per_entry 1000000)
bytes per entry by its own count.

A change of one phone (what add_phone, update_phone and a delete make of
the table), µs per change:

| µs per change | 1,000 entries | 100,000 entries | 1,000,000 entries |
|---|---:|---:|---:|
| \`ph_table_change()\`, phones added one by one, merges included | $(micro change 1000) | $(micro change 100000) | $(micro change 1000000) |
| \`ph_table_copy_change()\`, the whole table copied (before change tables) | $(micro copy_change 1000) | $(micro copy_change 100000) | $(micro copy_change 1000000) |

A change table holds the changes (up to about twice the square root of the
entries: $(micro changes_held 1000000 | cut -f1) held at the end of the 1,000,000 run) before the
table they change; lookups ask it first (the "changes held" row above).

The lookup is a hash probe (FNV-1a, open addressing) whatever the size; what
grows with the table is the memory it touches, and that is what makes it
${LOOKUP_X}× the 1,000-entry time with keys spread over all 1,000,000
entries (${LOOKUP_HOT_X}× with 1,000 distinct keys over the same table).
Counted rather than timed (\`bench/cache-misses.sh\`: the microbenchmark's
lookups under cachegrind's cache simulator with this machine's cache sizes,
the same run without the lookups subtracted), one lookup with keys spread
over all entries misses:

| cache misses per lookup | 1,000 entries | 1,000,000 entries |
|---|---:|---:|
| first level (32 KiB) | $(micro cache_l1_misses 1000) | $(micro cache_l1_misses 1000000) |
| second level (512 KiB): reads from L3 or memory | $(micro cache_l2_misses 1000) | $(micro cache_l2_misses 1000000) |

The misses are dependent: the index slot (one line) names the entry, whose
flags and extension (inline when shorter than 16 characters) are the
first line of its 128 bytes, entries being on 64-byte boundaries: two
misses, and a few hundredths more when the probe runs on into the next
line of slots (the goal was at most 2). Either way a
lookup is a fraction of a microsecond, against the ${CCPU[invite/ceiling]} µs
of CPU kamailio spends on a whole call without any lookup (above).

$(startup_section)

## 1,000,000 entries loaded from MariaDB

Through the real module: kamailio started with \`bench/cfg/bench.cfg\` and
the module on a MariaDB database of 1,000,000 generated phones (the same
shape as above), and again on an empty \`phones\` table, $((LOADS / 2)) time(s)
each (both with VICIdial's \`servers\` table holding the benchmarks' one
server, which the module loads too); medians.

| | |
|---|---|
| entries loaded | $(fmt_rate "$LOAD_N") |
| load time | **$LOAD_S s** (start to the log line: $T_BIG s with 1M rows, $T_EMPTY s with none) |
| shared memory per entry | **$SHM_PER bytes** (\`core.shmmem\` real_used: $(fmt_rate "$SHM_BIG") with 1M rows, $(fmt_rate "$SHM_EMPTY") with none) |
| the module's own count | $(fmt_rate "$MOD_BYTES") bytes, $MOD_PER per entry ("loaded N phone entries … B bytes") |

Method: kamailio's standard error is time-stamped line by line as it
arrives; the time from starting kamailio to the module's line "loaded N
phone entries from table 'phones' … B bytes" includes everything before the
load (configuration, shared memory set-up, other modules), so the same start
on an empty table is subtracted. What remains is the query through
\`db_mysql\` (1,000 rows fetched at a time), building the table in shared
memory and the rules. Shared memory is read with \`kamcmd core.shmmem\` once
kamailio answers: \`real_used\` counts what Kamailio's allocator handed out
with its own per-fragment overhead; the difference with the empty table,
over the entries, is the cost per entry. The entries are 136-byte records
in segments of 1,024 (an extension and a number shorter than 16 characters
are held in the record itself, so that a lookup reads the index slot and
the record and no string elsewhere), two hash indexes of 8-byte slots kept
at most half full (32 bytes per entry at 1M), and the other strings
(longer keys, secret, server, caller ID) in 64 KB blocks.

## How it was measured

### Configurations

One Kamailio configuration, \`bench/cfg/bench.cfg\`, the same request
handling as \`cfg/kamailio.cfg\` (sanity, transactions, record-routing,
in-dialog requests, REGISTER saved to an in-memory location table, INVITEs
accepted from the Asterisk network by address, relayed with tm), 4 UDP
workers, 512 MB of shared and 64 MB of private memory, logging NOTICE and
worse only. The configurations differ only in the file it includes for the
lookup, which provides \`route[LOOKUP_REGISTER]\` and \`route[LOOKUP_INVITE]\`
(both INVITE flows go through the latter, as both go through
\`phones_route()\` in \`cfg/kamailio.cfg\`):

| configuration | REGISTER | INVITE (to an EXTERNAL entry) | dial (a number that is no entry) |
|---|---|---|---|
| ceiling (\`lookup-ceiling.cfg\`) | challenged without credentials; with credentials accepted unchecked | a user that does not start with 9: Request-URI and \`\$du\` set to a fixed number at the trunk, a fixed P-Asserted-Identity (\`append_hf\`) | a user that starts with 9 (\`s.substr\`) loses it by hand, Request-URI and \`\$du\` set to the trunk; no P-Asserted-Identity; the caller is not checked |
| peer (\`lookup-peer.cfg\`) | \`auth_check("\$td", "phones", "1")\` of auth_db on the phones table (\`user_column\` extension, \`password_column\` conf_secret, \`calculate_ha1 1\`, \`version_table 0\`), protocol and active loaded with the credentials (\`load_credentials\`) and checked | the caller checked by permissions' \`allow_source_address("1")\` (Kamailio's \`address\` table, in memory: group 1, the Asterisk server's address and port); \`sql_xquery()\` of sqlops: protocol, active, dialplan_number of the extension; Kamailio's \`dp_translate()\` (dialplan id 1, the same rule; its attrs hold the trunk) makes the number; the entry's outbound_cid becomes the P-Asserted-Identity (\`append_hf\`) | the same route: the caller checked the same way; \`sql_xquery()\` finds no entry, so \`dp_translate()\` is applied to the dialled number itself; no P-Asserted-Identity |
| module (\`lookup-module.cfg\`) | \`phones_auth("\$td")\`, as in \`cfg/kamailio.cfg\` | \`phones_route()\` with \`pai_outbound_cid 1\`, as in \`cfg/kamailio.cfg\`; the caller is an Asterisk server by its address (a row of VICIdial's \`servers\` table) and port (\`server_port\`) | the same \`phones_route()\`: a server's call to a number that is no entry (DIAL_OUT) goes out by the rule applied to the number itself; no P-Asserted-Identity |

The peer and the module each run once on SQLite (\`db_sqlite\`, the
embedded default) and once on MariaDB (\`db_mysql\`, a server on
127.0.0.1 started for the run, VICIdial's MyISAM table). The peer's
\`dialplan\` and \`address\` tables and the \`version\` table the dialplan
and permissions modules require are Kamailio's own schemas
(\`bench/sql/\`); auth_db is told not to look for a version, permissions
to load its address table only (\`load_backends 1\`).

### Data and flows

10,000 phones, the same rows in both databases (\`bench/gen-phones.awk\`):
7,500 SIP phones \`p0000001\`… with their own passwords, and 2,500 EXTERNAL
entries \`e0000004\`… whose numbers \`913122NNNNNN\` the one rule, VICIdial's
usual \`_91NXXNXXXXXX\` (strip the 9, out the trunk), rewrites.

- **REGISTER** (\`bench/scenarios/register.xml\`): REGISTER, 401,
  REGISTER with the digest, 200, each SIP phone in turn.
- **INVITE** (\`bench/scenarios/invite.xml\`): INVITE to an EXTERNAL entry,
  each in turn; the proxy sends it to the trunk, a SIPp UAS
  (\`trunk-uas.xml\`) that answers 200 at once; ACK, 200 ms of call, BYE, 200.
- **dial** (the same scenario, another injection file): the predictive
  dialer's outbound call, the highest call rate of a call centre. The
  Asterisk server calls 913125550000 … 913125559999 in turn, numbers that
  are no entry; the one rule makes them 13125550000 … at the same trunk.

In both INVITE flows SIPp's caller is the Asterisk server: 127.0.0.1,
sending from port 26070, a row of VICIdial's \`servers\` table
(\`bench/sql/servers.sql\`) with the module's \`server_port\` set to that
port, and a row of Kamailio's \`address\` table, group 1, for the peer
(\`bench/sql/address-rules.sql.in\`).

SIPp runs on the same machine. A functional check precedes the
measurements: each configuration registers a phone, refuses a wrong
password (all but the ceiling), delivers a call to the trunk with the
number its lookup made and the entry's caller ID as P-Asserted-Identity,
delivers two dialled numbers to the trunk as the rule rewrites them
(913125550000 as 13125550000, and the next) without P-Asserted-Identity,
and refuses a number dialled from another port, no server's, with nothing
reaching the trunk (all but the ceiling).

### Ramping and the pass criterion

For each flow and configuration the call rate starts at
$(machine start_rate) calls/s and doubles until a run fails, then is
bisected between the highest rate that passed and the lowest that failed
until they are within $(awk -v r="$(machine resolution)" 'BEGIN { printf "%d%%", r * 100 }') of each other. Each run lasts a
fixed time ($(machine run_seconds) s of calls: rate × $(machine run_seconds) calls) and is bounded in
time (SIPp's \`-timeout\`, and \`timeout\` around it). A run **passes** when:

- SIPp counts every call successful and none failed. Requests are
  retransmitted (500 ms, doubling) and tm retransmits toward the trunk, so
  a single lost datagram delays a call but does not fail it;
  \`-recv_timeout 4000\` ends a call whose answer never comes, as failed;
- and the rate achieved is at least $(awk -v r="$(machine achieved_min)" 'BEGIN { printf "%d%%", r * 100 }') of the rate asked for: the number
  of answers to the flow's measured request (REGISTER's 200, INVITE's 200)
  over the time they took to arrive, from \`-trace_rtt\`'s timestamps,
  leaving out the first and last 1% so that one retransmitted straggler
  does not count. A proxy that falls behind spreads its answers out.

A rate fails only when two runs at it in a row fail: a failed run is
made once more at once, and the rate passes if that run does (both are
listed below, the second as \`-retry\`). On this shared machine a run can
fail for what else runs at that moment, and one such run must not cap a
ramp for good. A run that achieved under 90% of its rate is plain
overload and is not run again.

Steps are **interleaved**: at each step every flow and configuration makes
its next run (ceiling, peer-sqlite, module-sqlite, peer-mariadb,
module-mariadb, for REGISTER, INVITE, then dial) before any makes another, all
five kamailio instances running throughout, so that whatever else this
machine does during the run falls on all alike. Before each run the
proxy is left to finish its transactions (tm's count of live ones falls to
0). After the ramps, each flow and configuration runs once more at its
highest clean rate ("again" above), then all run $ROUNDS round(s) at
$(fmt_rate "$REF_RATE") calls/s for the CPU per call, interleaved the same way. This machine is
shared: other test runs may execute during the measurements (at the start
$(machine others_start) were running besides the benchmark's; load averages
$(machine load_start) at the start, $(machine load_after_sip) after the
SIP runs). Compare the ratios, measured side by side, rather than the
absolute rates.

### Response times

From SIPp's \`-trace_rtt\` (every call's response times):
REGISTER's is the authenticated REGISTER to its 200 (the one that looks the
phone up), INVITE's and dial's the INVITE to its 200 (the lookup, the
trunk's answer, the way back). Debian's SIPp 3.6.1 reads its clock with
\`CLOCK_MONOTONIC_COARSE\`, which moves in kernel ticks (4 ms here): its
response times would all be 0 or 4 ms. \`bench/sipp-clock.c\`, preloaded
into SIPp (\`LD_PRELOAD\`), hands it the precise clock instead.

At the highest clean rate the response times are those of a machine close
to saturation, and the rates differ; the table at a common rate compares
them at the same load.

### Machine

| | |
|---|---|
| CPU | $(machine cpu), $(machine cpus) cores (virtualisation: $(machine virt)) |
| memory | $(machine memory) |
| system | $(machine os), Linux $(machine kernel) |
| software | kamailio $(machine kamailio), SIPp $(machine sipp), MariaDB $(machine mariadb), SQLite $(machine sqlite), pcre2 $(machine pcre2); compiler $(machine cc) |

Everything shares the $(machine cpus) cores: kamailio's 4 workers, the SIPp caller
and the SIPp trunk, and MariaDB for the configurations that use it. The
rates are those of this whole system, and the ceiling is in part SIPp's.

## Reproducing

    make bench                 # about 30 minutes
    make bench BENCH_QUICK=1   # about 10 minutes, coarse

\`bench/install-deps.sh\` installs gnuplot (\`gnuplot-nox\`) when missing.
\`bench/run.sh\` starts and stops everything it uses on 127.0.0.1
(MariaDB on 26306, kamailio on 26060–26067, SIPp on 26070, 26071 and 26080);
the raw results stay in \`build/bench/run/\` (\`results/runs.tsv\`: every run).

<details><summary>Every run, in the order made</summary>

| # | step | flow | configuration | calls/s | calls | ok | failed | retrans | achieved/s | p50 / p95 / p99 ms | CPU µs/call (kamailio + MariaDB) | verdict |
|---:|---|---|---|---:|---:|---:|---:|---:|---:|---|---|---|
$(runs_rows)

</details>
EOF
	cat "$KEPT"
} >"$MD"
