# edgevirt chart: GET: residuals vs model testbed-calibrated-2026-12-06
# Written by edgevirt (plots/templates/common.gp + xy.gp). Data: resid_get.dat (C locale).
# Render again with:  gnuplot resid_get.gp   (writes resid_get.png and resid_get.svg)
set encoding utf8
set decimalsign '.'
set datafile missing "NaN"
set title "GET: residuals vs model testbed-calibrated-2026-12-06" font ",15"
set xlabel "value size (bytes, log scale)" font ",12"
set ylabel "residual (%)" font ",12"
set border 3 lw 1.2
set tics nomirror out
set grid xtics ytics lc rgb "#e0e0e0" lw 1 dt 1
set key outside right top box lc rgb "#999999" opaque samplen 2.5 spacing 1.15 width 1
set lmargin 12
set style textbox opaque fillcolor rgb "white" margins 2,2 noborder
set bmargin 4.5
# xy.gp: line / point series with optional interval bands (shaded, under the lines).
set style fill transparent solid 0.18 noborder
set pointsize 1.1

set logscale x
set mxtics 10
set xrange [20:26214.400000000001]
set yrange [-17.101645656621198:10.773224296991865]

set terminal pngcairo size 1000,620 noenhanced font "DejaVu Sans,11" background rgb "white"
set output "resid_get.png"
plot "resid_get.dat" index 0 using 1:2 with linespoints lw 2 dt 3 pt 6 ps 2.6 lc rgb "#0072B2" title "tb-direct c20 P1 MTU 576 link unlimited", \
     "resid_get.dat" index 1 using 1:2 with linespoints lw 2 dt 3 pt 6 ps 2.6 lc rgb "#0072B2" title "tb-direct c20 P1 MTU 1500 link unlimited", \
     "resid_get.dat" index 2 using 1:2 with linespoints lw 2 dt 3 pt 6 ps 2.6 lc rgb "#D55E00" title "tb-relay c20 P1 MTU 576 link unlimited", \
     "resid_get.dat" index 3 using 1:2 with linespoints lw 2 dt 3 pt 6 ps 2.6 lc rgb "#D55E00" title "tb-relay c20 P1 MTU 1500 link unlimited", \
     "resid_get.dat" index 4 using 1:2 with linespoints lw 2 dt 3 pt 6 ps 2.6 lc rgb "#009E73" title "tb-relay-swseg c20 P1 MTU 576 link unlimited", \
     "resid_get.dat" index 5 using 1:2 with linespoints lw 2 dt 3 pt 6 ps 2.6 lc rgb "#009E73" title "tb-relay-swseg c20 P1 MTU 1276 link unlimited", \
     "resid_get.dat" index 6 using 1:2 with linespoints lw 2 dt 3 pt 6 ps 2.6 lc rgb "#CC79A7" title "tb-swseg c20 P1 MTU 576 link unlimited", \
     "resid_get.dat" index 7 using 1:2 with linespoints lw 2 dt 3 pt 6 ps 2.6 lc rgb "#CC79A7" title "tb-swseg c20 P1 MTU 1276 link unlimited", \
     "resid_get.dat" index 8 using 1:2 with lines lw 2.2 lc rgb "#999999" title "0 (model exact)"

set terminal svg size 1000,620 noenhanced font "DejaVu Sans,11" background rgb "white"
set output "resid_get.svg"
replot
set output
