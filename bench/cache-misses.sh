#!/bin/bash
# Cache misses of one lookup, ph_table_by_extension() with keys drawn
# uniformly over all entries, at 1,000 and 1,000,000 entries: the
# microbenchmark under cachegrind's cache simulator (valgrind), run with
# the same table and keys twice, once without and once with the lookups;
# the difference divided by the number of lookups is what one lookup
# misses. L1: this machine's first-level data cache (32 KiB); L2: its
# second level (512 KiB), simulated as cachegrind's last level, so that an
# L2 miss is a read from the shared L3 or memory. A lookup's misses are
# dependent (the slot names the entry): their count, not a ratio of times,
# is what the table's layout decides. The caches are cachegrind's
# simulation with this machine's sizes (getconf), not hardware counters
# (this VM has none).
#
#   bench/cache-misses.sh MICROBENCH [LOOKUPS]     prints TSV lines:
#   cache_l1_misses <entries> <per lookup> misses
#   cache_l2_misses <entries> <per lookup> misses
set -euo pipefail
micro=${1:?usage: cache-misses.sh MICROBENCH [LOOKUPS]}
lookups=${2:-200000}
command -v valgrind >/dev/null || { echo "valgrind is not installed (bench/install-deps.sh)" >&2; exit 1; }

l1=$(getconf LEVEL1_DCACHE_SIZE 2>/dev/null || echo 32768)
l2=$(getconf LEVEL2_CACHE_SIZE 2>/dev/null || echo 524288)
[ "${l1:-0}" -gt 0 ] 2>/dev/null || l1=32768
[ "${l2:-0}" -gt 0 ] 2>/dev/null || l2=524288

# "D1  misses:  12,345 (  1,234 rd ...": the data reads' figure
misses() { # entries do -> "l1 l2"
	valgrind --tool=cachegrind --cache-sim=yes --cachegrind-out-file=/dev/null \
		--D1=$l1,8,64 --LL=$l2,8,64 "$micro" -c "$1" "$lookups" "$2" 2>&1 >/dev/null |
		awk '
		/D1  misses:/ { gsub(",", "", $6); d1 = $6 }
		/LLd misses:/ { gsub(",", "", $6); ll = $6 }
		END { if (d1 == "" || ll == "") exit 1; print d1, ll }'
}

for n in 1000 1000000; do
	read -r d0 m0 < <(misses $n 0) || { echo "cachegrind failed on $n entries" >&2; exit 1; }
	read -r d1 m1 < <(misses $n 1) || { echo "cachegrind failed on $n entries" >&2; exit 1; }
	awk -v n=$n -v k=$lookups -v d0=$d0 -v d1=$d1 -v l0=$m0 -v l1=$m1 'BEGIN {
		printf "cache_l1_misses\t%d\t%.2f\tmisses\n", n, (d1 - d0) / k
		printf "cache_l2_misses\t%d\t%.2f\tmisses\n", n, (l1 - l0) / k }'
done
