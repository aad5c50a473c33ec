# docs/benchmarks.png from bench/report.sh's data files (all measured):
#   gnuplot -e "datdir='...'; out='...'; reg_rate='N'; inv_rate='N'; \
#     dial_rate='N'; ref_rate='N'; resolution='PCT'; load_s='S'; \
#     shm_per='B'; rule1='NS'; rule10='NS'; alloc_qm='US'; \
#     alloc_tlsf='US'; dial_alloc_qm='US'; dial_alloc_tlsf='US'" bench/chart.gp
# rates.dat: configuration, highest clean REGISTER, INVITE and dial rates;
# ratios.dat: per flow, the module's highest clean rate over the
# ceiling's and over the peer's (SQLite, MariaDB);
# cpu.dat: CPU per call (kamailio, MariaDB) for the three flows at ref_rate;
# rtt-register.dat, rtt-invite.dat, rtt-dial.dat: p50/p95/p99 at the
# common rates;
# lookup.dat: the core's lookup ns at 1k, 100k, 1M entries.

set terminal pngcairo size 1400,2000 font "DejaVu Sans,11" noenhanced
set output out
set datafile separator "\t"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border rgb "#333333"
set boxwidth 0.9
set grid ytics lc rgb "#dddddd"
set key top center horizontal noautotitle samplen 1.5 font ",10"
set xtics nomirror font ",10"
set ytics nomirror
set border 3
set yrange [0:*]
set offsets 0, 0, graph 0.18, 0

# A configuration's label on two lines, from the first two columns.
lbl(x) = strcol(1)."\n".strcol(2)

set multiplot layout 4,2 title "kamailio-phones: the module's cost in the proxy path (2 shared cores; SIPp, kamailio and MariaDB on one machine)" font ",13"

# 1. Highest clean rate per configuration, the three flows.
set title "Highest call rate without a failed call (ramped)"
set ylabel "calls/s"
plot datdir."/rates.dat" using 3:xtic(lbl(0)) title "REGISTER with digest" lc rgb "#4878a8", \
     '' using 4 title "INVITE…BYE to an EXTERNAL entry" lc rgb "#e8a040", \
     '' using 5 title "dial: server → number → trunk" lc rgb "#7a5aa8", \
     '' using ($0 - 1.0/4):3:(sprintf("%d", $3)) with labels offset 0,0.7 font ",8" notitle, \
     '' using ($0):4:(sprintf("%d", $4)) with labels offset 0,0.7 font ",8" notitle, \
     '' using ($0 + 1.0/4):5:(sprintf("%d", $5)) with labels offset 0,0.7 font ",8" notitle

# 2. The module's highest clean rate over the ceiling's and the peer's,
# each flow, from the same run; 1 dashed.
set title sprintf("Module's highest clean rate over the ceiling's and the peer's (one run; rates within %s%%)", resolution)
set ylabel "ratio of highest clean rates"
set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead dt 2 lc rgb "#333333"
plot datdir."/ratios.dat" using 3:xtic(lbl(0)) title "module/ceiling, SQLite" lc rgb "#7fb27f", \
     '' using 4 title "module/ceiling, MariaDB" lc rgb "#3f8a3f", \
     '' using 5 title "module/peer, SQLite" lc rgb "#e8a040", \
     '' using 6 title "module/peer, MariaDB" lc rgb "#b06a20", \
     '' using ($0 - 3.0/10):3:(sprintf("%.2f", $3)) with labels offset 0,0.7 font ",8" notitle, \
     '' using ($0 - 1.0/10):4:(sprintf("%.2f", $4)) with labels offset 0,0.7 font ",8" notitle, \
     '' using ($0 + 1.0/10):5:(sprintf("%.2f", $5)) with labels offset 0,0.7 font ",8" notitle, \
     '' using ($0 + 3.0/10):6:(sprintf("%.2f", $6)) with labels offset 0,0.7 font ",8" notitle
unset arrow 1

# 3. CPU per call at the same rate for all.
set title "kamailio's (and MariaDB's) CPU per call at ".ref_rate." calls/s"
set ylabel "µs of CPU per call"
plot datdir."/cpu.dat" using 3:xtic(lbl(0)) title "REGISTER: kamailio" lc rgb "#4878a8", \
     '' using 4 title "REGISTER: MariaDB" lc rgb "#a8c4e0", \
     '' using 5 title "INVITE: kamailio" lc rgb "#e8a040", \
     '' using 6 title "INVITE: MariaDB" lc rgb "#f4d4a0", \
     '' using 7 title "dial: kamailio" lc rgb "#7a5aa8", \
     '' using 8 title "dial: MariaDB" lc rgb "#c8b8e0"

# 4., 5. and 6. Response times at the same load for all, log scale.
set logscale y
set yrange [*:*]
set offsets 0, 0, 0, 0
set ylabel "ms (log scale)"
set title "REGISTER: authenticated REGISTER → 200, at ".reg_rate." calls/s"
plot datdir."/rtt-register.dat" using 3:xtic(lbl(0)) title "p50" lc rgb "#7fb27f", \
     '' using 4 title "p95" lc rgb "#4878a8", \
     '' using 5 title "p99" lc rgb "#b04848"

set title "INVITE: INVITE → 200 via the trunk, at ".inv_rate." calls/s"
plot datdir."/rtt-invite.dat" using 3:xtic(lbl(0)) title "p50" lc rgb "#7fb27f", \
     '' using 4 title "p95" lc rgb "#4878a8", \
     '' using 5 title "p99" lc rgb "#b04848"

set title "dial: dialled INVITE → 200 via the trunk, at ".dial_rate." calls/s"
plot datdir."/rtt-dial.dat" using 3:xtic(lbl(0)) title "p50" lc rgb "#7fb27f", \
     '' using 4 title "p95" lc rgb "#4878a8", \
     '' using 5 title "p99" lc rgb "#b04848"
unset logscale y

# 7. The core's lookup time by table size.
set yrange [0:*]
set offsets 0, 0, graph 0.18, 0
set title "Core lookup, ph_table_by_extension() (microbenchmark, malloc)"
set ylabel "ns per lookup"
set xlabel "entries in the table"
plot datdir."/lookup.dat" using 2:xtic(1) title "keys uniform over all entries" lc rgb "#4878a8", \
     '' using 3 title "1,000 distinct keys" lc rgb "#7fb27f", \
     '' using ($0 - 1.0/6):2:(sprintf("%.0f", $2)) with labels offset 0,0.7 font ",9" notitle, \
     '' using ($0 + 1.0/6):3:(sprintf("%.0f", $3)) with labels offset 0,0.7 font ",9" notitle
unset xlabel

# 8. The 1M load and the rule match, as text.
unset title
unset border
unset xtics
unset ytics
unset ylabel
unset grid
unset key
set xrange [0:1]
set yrange [0:1]
set offsets 0, 0, 0, 0
set label 1 "1,000,000 entries from MariaDB, through the module" at 0.05,0.85 font ",13"
set label 2 sprintf("loaded in %s s   (target: under 10 s)", load_s) at 0.08,0.72 font ",12"
set label 3 sprintf("%s bytes of shared memory per entry   (target: at most 300)", shm_per) at 0.08,0.62 font ",12"
set label 4 "Routing rule match, ph_rules_translate()" at 0.05,0.46 font ",13"
set label 5 sprintf("%s ns with 1 rule, %s ns with 10 (the last matching)", rule1, rule10) at 0.08,0.36 font ",12"
set label 6 sprintf("At %s calls/s, kamailio CPU per call, module - ceiling", ref_rate) at 0.05,0.22 font ",13"
set label 7 sprintf("INVITE: %s µs with Kamailio's default q_malloc, %s µs with TLSF", alloc_qm, alloc_tlsf) at 0.08,0.12 font ",12"
set label 8 sprintf("dial: %s µs with q_malloc, %s µs with TLSF", dial_alloc_qm, dial_alloc_tlsf) at 0.08,0.04 font ",12"
plot NaN notitle

unset multiplot
