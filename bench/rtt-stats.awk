# The benchmarks' reading of SIPp's -trace_rtt: input lines "TIME_MS
# RESPONSE_MS" of one response time (rtd) of every call, sorted by time;
# prints "achieved p50 p95 p99 samples": the calls per second over the
# middle 98% of the answers (so that a call waiting for a retransmission,
# 500 ms doubling, at either end does not decide it) and the response
# times' percentiles in ms. Fewer than 20 samples: "0 0 0 0 n".
# Used by bench/run.sh and rate_run (bench/small-setup.sh).
{ t[NR] = $1; r[NR] = $2 }
END {
	n = NR
	if (n < 20) { print 0, 0, 0, 0, n; exit }
	lo = int(n * 0.01) + 1; hi = int(n * 0.99)
	span = (t[hi] - t[lo]) / 1000
	achieved = span > 0 ? (hi - lo) / span : 0
	m = asort(r)
	printf "%.1f %.3f %.3f %.3f %d\n", achieved, r[int(m * 0.50) + 1], r[int(m * 0.95)], r[int(m * 0.99)], n
}
