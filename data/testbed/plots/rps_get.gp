# edgevirt chart: GET: requests per second, your records
# Written by edgevirt (plots/templates/common.gp + xy.gp). Data: rps_get.dat (C locale).
# Render again with:  gnuplot rps_get.gp   (writes rps_get.png and rps_get.svg)
set encoding utf8
set decimalsign '.'
set datafile missing "NaN"
set title "GET: requests per second, your records" font ",15"
set xlabel "value size (bytes, log scale)" font ",12"
set ylabel "requests per second (req/s)" font ",12"
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
set yrange [0:55214.957452348397]
set arrow 1 from 576, graph 0 to 576, graph 1 nohead dt 2 lw 1.5 lc rgb "#444444" front
set label 1 "MTU 576 B" at 576, graph 0.96 left offset 0.8,0 boxed tc rgb "#222222" front
set arrow 2 from 1000, graph 0 to 1000, graph 1 nohead dt 2 lw 1.5 lc rgb "#444444" front
set label 2 "MTU 1000 B" at 1000, graph 0.90 left offset 0.8,0 boxed tc rgb "#222222" front
set arrow 3 from 1500, graph 0 to 1500, graph 1 nohead dt 2 lw 1.5 lc rgb "#444444" front
set label 3 "MTU 1500 B" at 1500, graph 0.84 left offset 0.8,0 boxed tc rgb "#222222" front
set arrow 4 from 1276, graph 0 to 1276, graph 1 nohead dt 2 lw 1.5 lc rgb "#444444" front
set label 4 "MTU 1276 B" at 1276, graph 0.78 left offset 0.8,0 boxed tc rgb "#222222" front
set label 5 "circles: single repeats; bars: 95 % t-interval of the mean" at screen 0.01, screen 0.02 left font ",9" tc rgb "#666666"

set terminal pngcairo size 1000,620 noenhanced font "DejaVu Sans,11" background rgb "white"
set output "rps_get.png"
plot "rps_get.dat" index 0 using 1:2:3:4 with yerrorlines lw 2.2 pt 7 ps 1.1 lc rgb "#0072B2" title "tb-direct c20 P1 MTU 576 link unlimited", \
     "rps_get.dat" index 1 using 1:2 with points pt 6 ps 0.8 lw 1.2 lc rgb "#0072B2" notitle, \
     "rps_get.dat" index 2 using 1:2:3:4 with yerrorlines lw 2.2 pt 7 ps 1.1 lc rgb "#0072B2" dt 2 title "tb-direct c20 P1 MTU 1000 link unlimited", \
     "rps_get.dat" index 3 using 1:2 with points pt 6 ps 0.8 lw 1.2 lc rgb "#0072B2" notitle, \
     "rps_get.dat" index 4 using 1:2:3:4 with yerrorlines lw 2.2 pt 7 ps 1.1 lc rgb "#0072B2" dt 3 title "tb-direct c20 P1 MTU 1500 link unlimited", \
     "rps_get.dat" index 5 using 1:2 with points pt 6 ps 0.8 lw 1.2 lc rgb "#0072B2" notitle, \
     "rps_get.dat" index 6 using 1:2:3:4 with yerrorlines lw 2.2 pt 7 ps 1.1 lc rgb "#D55E00" title "tb-relay c20 P1 MTU 576 link unlimited", \
     "rps_get.dat" index 7 using 1:2 with points pt 6 ps 0.8 lw 1.2 lc rgb "#D55E00" notitle, \
     "rps_get.dat" index 8 using 1:2:3:4 with yerrorlines lw 2.2 pt 7 ps 1.1 lc rgb "#D55E00" dt 2 title "tb-relay c20 P1 MTU 1000 link unlimited", \
     "rps_get.dat" index 9 using 1:2 with points pt 6 ps 0.8 lw 1.2 lc rgb "#D55E00" notitle, \
     "rps_get.dat" index 10 using 1:2:3:4 with yerrorlines lw 2.2 pt 7 ps 1.1 lc rgb "#D55E00" dt 3 title "tb-relay c20 P1 MTU 1500 link unlimited", \
     "rps_get.dat" index 11 using 1:2 with points pt 6 ps 0.8 lw 1.2 lc rgb "#D55E00" notitle, \
     "rps_get.dat" index 12 using 1:2:3:4 with yerrorlines lw 2.2 pt 7 ps 1.1 lc rgb "#009E73" title "tb-relay-swseg c20 P1 MTU 576 link unlimited", \
     "rps_get.dat" index 13 using 1:2 with points pt 6 ps 0.8 lw 1.2 lc rgb "#009E73" notitle, \
     "rps_get.dat" index 14 using 1:2:3:4 with yerrorlines lw 2.2 pt 7 ps 1.1 lc rgb "#009E73" dt 2 title "tb-relay-swseg c20 P1 MTU 1000 link unlimited", \
     "rps_get.dat" index 15 using 1:2 with points pt 6 ps 0.8 lw 1.2 lc rgb "#009E73" notitle, \
     "rps_get.dat" index 16 using 1:2:3:4 with yerrorlines lw 2.2 pt 7 ps 1.1 lc rgb "#009E73" dt 3 title "tb-relay-swseg c20 P1 MTU 1276 link unlimited", \
     "rps_get.dat" index 17 using 1:2 with points pt 6 ps 0.8 lw 1.2 lc rgb "#009E73" notitle, \
     "rps_get.dat" index 18 using 1:2:3:4 with yerrorlines lw 2.2 pt 7 ps 1.1 lc rgb "#CC79A7" title "tb-swseg c20 P1 MTU 576 link unlimited", \
     "rps_get.dat" index 19 using 1:2 with points pt 6 ps 0.8 lw 1.2 lc rgb "#CC79A7" notitle, \
     "rps_get.dat" index 20 using 1:2:3:4 with yerrorlines lw 2.2 pt 7 ps 1.1 lc rgb "#CC79A7" dt 2 title "tb-swseg c20 P1 MTU 1000 link unlimited", \
     "rps_get.dat" index 21 using 1:2 with points pt 6 ps 0.8 lw 1.2 lc rgb "#CC79A7" notitle, \
     "rps_get.dat" index 22 using 1:2:3:4 with yerrorlines lw 2.2 pt 7 ps 1.1 lc rgb "#CC79A7" dt 3 title "tb-swseg c20 P1 MTU 1276 link unlimited", \
     "rps_get.dat" index 23 using 1:2 with points pt 6 ps 0.8 lw 1.2 lc rgb "#CC79A7" notitle

set terminal svg size 1000,620 noenhanced font "DejaVu Sans,11" background rgb "white"
set output "rps_get.svg"
replot
set output
