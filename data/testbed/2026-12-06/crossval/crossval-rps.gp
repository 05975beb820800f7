# edgevirt chart: Cross-validation: measured vs predicted RPS
# Written by edgevirt (plots/templates/common.gp + xy.gp). Data: crossval-rps.dat (C locale).
# Render again with:  gnuplot crossval-rps.gp   (writes crossval-rps.png and crossval-rps.svg)
set encoding utf8
set decimalsign '.'
set datafile missing "NaN"
set title "Cross-validation: measured vs predicted RPS" font ",15"
set xlabel "measured (requests/s)" font ",12"
set ylabel "predicted, held out of the fit (requests/s)" font ",12"
set border 3 lw 1.2
set tics nomirror out
set grid xtics ytics lc rgb "#e0e0e0" lw 1 dt 1
set key bottom right box lc rgb "#999999" opaque samplen 2.5 spacing 1.15 width 1
set lmargin 12
set style textbox opaque fillcolor rgb "white" margins 2,2 noborder
set bmargin 4.5
# xy.gp: line / point series with optional interval bands (shaded, under the lines).
set style fill transparent solid 0.18 noborder
set pointsize 1.1

set logscale x
set mxtics 10
set logscale y
set xrange [3115.1700072979024:55618.545835955811]
set yrange [3115.1700072979024:55618.545835955811]
set label 1 "RPS MAPE: one size out 8.6 %, one MTU out 9.4 %" at screen 0.01, screen 0.02 left font ",9" tc rgb "#666666"

set terminal pngcairo size 1000,620 noenhanced font "DejaVu Sans,11" background rgb "white"
set output "crossval-rps.png"
plot "crossval-rps.dat" index 0 using 1:2 with points pt 7 ps 1.6 lc rgb "#0072B2" title "tb-direct: size out", \
     "crossval-rps.dat" index 1 using 1:2 with points pt 7 ps 1.6 lc rgb "#D55E00" title "tb-relay: size out", \
     "crossval-rps.dat" index 2 using 1:2 with points pt 7 ps 1.6 lc rgb "#009E73" title "tb-swseg: size out", \
     "crossval-rps.dat" index 3 using 1:2 with points pt 7 ps 1.6 lc rgb "#CC79A7" title "tb-relay-swseg: size out", \
     "crossval-rps.dat" index 4 using 1:2 with points pt 6 ps 0.8 lw 1.2 lc rgb "#0072B2" title "tb-direct: MTU out", \
     "crossval-rps.dat" index 5 using 1:2 with points pt 6 ps 0.8 lw 1.2 lc rgb "#D55E00" title "tb-relay: MTU out", \
     "crossval-rps.dat" index 6 using 1:2 with points pt 6 ps 0.8 lw 1.2 lc rgb "#009E73" title "tb-swseg: MTU out", \
     "crossval-rps.dat" index 7 using 1:2 with points pt 6 ps 0.8 lw 1.2 lc rgb "#CC79A7" title "tb-relay-swseg: MTU out", \
     "crossval-rps.dat" index 8 using 1:2 with lines lw 2.2 lc rgb "#808080" title "y = x"

set terminal svg size 1000,620 noenhanced font "DejaVu Sans,11" background rgb "white"
set output "crossval-rps.svg"
replot
set output
