# edgevirt chart: GET: RPS of the records vs model testbed-calibrated-2026-12-06
# Written by edgevirt (plots/templates/common.gp + xy.gp). Data: model_get.dat (C locale).
# Render again with:  gnuplot model_get.gp   (writes model_get.png and model_get.svg)
set encoding utf8
set decimalsign '.'
set datafile missing "NaN"
set title "GET: RPS of the records vs model testbed-calibrated-2026-12-06" font ",15"
set xlabel "value size (bytes, log scale)" font ",12"
set ylabel "requests per second (req/s)" font ",12"
set border 3 lw 1.2
set tics nomirror out
set grid xtics ytics lc rgb "#e0e0e0" lw 1 dt 1
set key top right box lc rgb "#999999" opaque samplen 2.5 spacing 1.15 width 1
set lmargin 12
set style textbox opaque fillcolor rgb "white" margins 2,2 noborder
set bmargin 4.5
# xy.gp: line / point series with optional interval bands (shaded, under the lines).
set style fill transparent solid 0.18 noborder
set pointsize 1.1

set logscale x
set mxtics 10
set xrange [20:26214.400000000001]
set yrange [0:84626.411573456673]
set label 1 "lines and bands: the model's prediction with its 95 % interval; points with bars: mean of the records, 95 % t-interval" at screen 0.01, screen 0.02 left font ",9" tc rgb "#666666"

set terminal pngcairo size 1000,620 noenhanced font "DejaVu Sans,11" background rgb "white"
set output "model_get.png"
plot "model_get.dat" index 0 using 1:3:4 with filledcurves lc rgb "#0072B2" notitle, \
     "model_get.dat" index 2 using 1:3:4 with filledcurves lc rgb "#0072B2" notitle, \
     "model_get.dat" index 4 using 1:3:4 with filledcurves lc rgb "#D55E00" notitle, \
     "model_get.dat" index 6 using 1:3:4 with filledcurves lc rgb "#D55E00" notitle, \
     "model_get.dat" index 8 using 1:3:4 with filledcurves lc rgb "#009E73" notitle, \
     "model_get.dat" index 10 using 1:3:4 with filledcurves lc rgb "#009E73" notitle, \
     "model_get.dat" index 12 using 1:3:4 with filledcurves lc rgb "#CC79A7" notitle, \
     "model_get.dat" index 14 using 1:3:4 with filledcurves lc rgb "#CC79A7" notitle, \
     "model_get.dat" index 0 using 1:2 with lines lw 2.2 lc rgb "#0072B2" notitle, \
     "model_get.dat" index 1 using 1:2:3:4 with yerrorbars lw 1.8 pt 7 ps 1.2 lc rgb "#0072B2" title "tb-direct c20 P1 MTU 576 link unlimited", \
     "model_get.dat" index 2 using 1:2 with lines lw 2.2 lc rgb "#0072B2" notitle, \
     "model_get.dat" index 3 using 1:2:3:4 with yerrorbars lw 1.8 pt 7 ps 1.2 lc rgb "#0072B2" title "tb-direct c20 P1 MTU 1500 link unlimited", \
     "model_get.dat" index 4 using 1:2 with lines lw 2.2 lc rgb "#D55E00" notitle, \
     "model_get.dat" index 5 using 1:2:3:4 with yerrorbars lw 1.8 pt 7 ps 1.2 lc rgb "#D55E00" title "tb-relay c20 P1 MTU 576 link unlimited", \
     "model_get.dat" index 6 using 1:2 with lines lw 2.2 lc rgb "#D55E00" notitle, \
     "model_get.dat" index 7 using 1:2:3:4 with yerrorbars lw 1.8 pt 7 ps 1.2 lc rgb "#D55E00" title "tb-relay c20 P1 MTU 1500 link unlimited", \
     "model_get.dat" index 8 using 1:2 with lines lw 2.2 lc rgb "#009E73" notitle, \
     "model_get.dat" index 9 using 1:2:3:4 with yerrorbars lw 1.8 pt 7 ps 1.2 lc rgb "#009E73" title "tb-relay-swseg c20 P1 MTU 576 link unlimited", \
     "model_get.dat" index 10 using 1:2 with lines lw 2.2 lc rgb "#009E73" notitle, \
     "model_get.dat" index 11 using 1:2:3:4 with yerrorbars lw 1.8 pt 7 ps 1.2 lc rgb "#009E73" title "tb-relay-swseg c20 P1 MTU 1276 link unlimited", \
     "model_get.dat" index 12 using 1:2 with lines lw 2.2 lc rgb "#CC79A7" notitle, \
     "model_get.dat" index 13 using 1:2:3:4 with yerrorbars lw 1.8 pt 7 ps 1.2 lc rgb "#CC79A7" title "tb-swseg c20 P1 MTU 576 link unlimited", \
     "model_get.dat" index 14 using 1:2 with lines lw 2.2 lc rgb "#CC79A7" notitle, \
     "model_get.dat" index 15 using 1:2:3:4 with yerrorbars lw 1.8 pt 7 ps 1.2 lc rgb "#CC79A7" title "tb-swseg c20 P1 MTU 1276 link unlimited"

set terminal svg size 1000,620 noenhanced font "DejaVu Sans,11" background rgb "white"
set output "model_get.svg"
replot
set output
