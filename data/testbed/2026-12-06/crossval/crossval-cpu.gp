# edgevirt chart: Cross-validation: measured vs predicted CPU
# Written by edgevirt (plots/templates/common.gp + xy.gp). Data: crossval-cpu.dat (C locale).
# Render again with:  gnuplot crossval-cpu.gp   (writes crossval-cpu.png and crossval-cpu.svg)
set encoding utf8
set decimalsign '.'
set datafile missing "NaN"
set title "Cross-validation: measured vs predicted CPU" font ",15"
set xlabel "measured CPU (% of one core)" font ",12"
set ylabel "predicted CPU (% of one core)" font ",12"
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

set xrange [0:109.22922419011689]
set yrange [0:109.22922419011689]
set label 1 "CPU MAE (counted held-out points), worst category: 2.6 pp" at screen 0.01, screen 0.02 left font ",9" tc rgb "#666666"

set terminal pngcairo size 1000,620 noenhanced font "DejaVu Sans,11" background rgb "white"
set output "crossval-cpu.png"
plot "crossval-cpu.dat" index 0 using 1:2 with points pt 7 ps 1.6 lc rgb "#0072B2" title "user", \
     "crossval-cpu.dat" index 1 using 1:2 with points pt 7 ps 1.6 lc rgb "#D55E00" title "system", \
     "crossval-cpu.dat" index 2 using 1:2 with points pt 7 ps 1.6 lc rgb "#009E73" title "softirq", \
     "crossval-cpu.dat" index 3 using 1:2 with points pt 7 ps 1.6 lc rgb "#CC79A7" title "guest", \
     "crossval-cpu.dat" index 4 using 1:2 with lines lw 2.2 lc rgb "#808080" title "y = x"

set terminal svg size 1000,620 noenhanced font "DejaVu Sans,11" background rgb "white"
set output "crossval-cpu.svg"
replot
set output
