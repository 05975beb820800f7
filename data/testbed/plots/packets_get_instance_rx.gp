# edgevirt chart: GET: average packet size, instance interface (tap/bridge), rx
# Written by edgevirt (plots/templates/common.gp + xy.gp). Data: packets_get_instance_rx.dat (C locale).
# Render again with:  gnuplot packets_get_instance_rx.gp   (writes packets_get_instance_rx.png and packets_get_instance_rx.svg)
set encoding utf8
set decimalsign '.'
set datafile missing "NaN"
set title "GET: average packet size, instance interface (tap/bridge), rx" font ",15"
set xlabel "value size (bytes, log scale)" font ",12"
set ylabel "bytes per packet (log scale; vnstat-style bytes/packets)" font ",12"
set border 3 lw 1.2
set tics nomirror out
set grid xtics ytics lc rgb "#e0e0e0" lw 1 dt 1
set key top left box lc rgb "#999999" opaque samplen 2.5 spacing 1.15 width 1
set lmargin 12
set style textbox opaque fillcolor rgb "white" margins 2,2 noborder
set bmargin 4.5
# xy.gp: line / point series with optional interval bands (shaded, under the lines).
set style fill transparent solid 0.18 noborder
set pointsize 1.1

set logscale x
set mxtics 10
set logscale y
set xrange [15.292864860273069:34283.17746807306]
set label 1 "curves shifted sideways slightly so equal sizes stay visible; exact values in the table" at screen 0.01, screen 0.02 left font ",9" tc rgb "#666666"

set terminal pngcairo size 1000,620 noenhanced font "DejaVu Sans,11" background rgb "white"
set output "packets_get_instance_rx.png"
plot "packets_get_instance_rx.dat" index 0 using 1:2 with linespoints lw 2 dt 3 pt 6 ps 2.6 lc rgb "#0072B2" title "tb-direct c20 P1 MTU 576 link unlimited", \
     "packets_get_instance_rx.dat" index 1 using 1:2 with linespoints lw 2 dt 3 pt 6 ps 2.6 lc rgb "#0072B2" title "tb-direct c20 P1 MTU 1000 link unlimited", \
     "packets_get_instance_rx.dat" index 2 using 1:2 with linespoints lw 2 dt 3 pt 6 ps 2.6 lc rgb "#0072B2" title "tb-direct c20 P1 MTU 1500 link unlimited", \
     "packets_get_instance_rx.dat" index 3 using 1:2 with linespoints lw 2 dt 3 pt 6 ps 2.6 lc rgb "#D55E00" title "tb-relay c20 P1 MTU 576 link unlimited", \
     "packets_get_instance_rx.dat" index 4 using 1:2 with linespoints lw 2 dt 3 pt 6 ps 2.6 lc rgb "#D55E00" title "tb-relay c20 P1 MTU 1000 link unlimited", \
     "packets_get_instance_rx.dat" index 5 using 1:2 with linespoints lw 2 dt 3 pt 6 ps 2.6 lc rgb "#D55E00" title "tb-relay c20 P1 MTU 1500 link unlimited", \
     "packets_get_instance_rx.dat" index 6 using 1:2 with linespoints lw 2 dt 3 pt 6 ps 2.6 lc rgb "#009E73" title "tb-relay-swseg c20 P1 MTU 576 link unlimited", \
     "packets_get_instance_rx.dat" index 7 using 1:2 with linespoints lw 2 dt 3 pt 6 ps 2.6 lc rgb "#009E73" title "tb-relay-swseg c20 P1 MTU 1000 link unlimited", \
     "packets_get_instance_rx.dat" index 8 using 1:2 with linespoints lw 2 dt 3 pt 6 ps 2.6 lc rgb "#009E73" title "tb-relay-swseg c20 P1 MTU 1276 link unlimited", \
     "packets_get_instance_rx.dat" index 9 using 1:2 with linespoints lw 2 dt 3 pt 6 ps 2.6 lc rgb "#CC79A7" title "tb-swseg c20 P1 MTU 576 link unlimited", \
     "packets_get_instance_rx.dat" index 10 using 1:2 with linespoints lw 2 dt 3 pt 6 ps 2.6 lc rgb "#CC79A7" title "tb-swseg c20 P1 MTU 1000 link unlimited", \
     "packets_get_instance_rx.dat" index 11 using 1:2 with linespoints lw 2 dt 3 pt 6 ps 2.6 lc rgb "#CC79A7" title "tb-swseg c20 P1 MTU 1276 link unlimited"

set terminal svg size 1000,620 noenhanced font "DejaVu Sans,11" background rgb "white"
set output "packets_get_instance_rx.svg"
replot
set output
