# edgevirt chart: GET 16384 B: CPU split per platform, your records
# Written by edgevirt (plots/templates/common.gp + stacked.gp). Data: cpu_get_16384.dat (C locale).
# Render again with:  gnuplot cpu_get_16384.gp   (writes cpu_get_16384.png and cpu_get_16384.svg)
set encoding utf8
set decimalsign '.'
set datafile missing "NaN"
set title "GET 16384 B: CPU split per platform, your records" font ",15"
set xlabel "platform and its busy CPU in total (% of one core)" font ",12"
set ylabel "CPU (% of one core, mean over repeats)" font ",12"
set border 3 lw 1.2
set tics nomirror out
set grid xtics ytics lc rgb "#e0e0e0" lw 1 dt 1
set key top right box lc rgb "#999999" opaque samplen 2.5 spacing 1.15 width 1
set lmargin 12
set style textbox opaque fillcolor rgb "white" margins 2,2 noborder
set bmargin 4.5
# stacked.gp: stacked bars, one bar per group, one layer per stack.
set style data histograms
set style histogram rowstacked gap 1
set style fill solid 0.88 border rgb "#333333"
set boxwidth 0.62 relative
set grid noxtics ytics
set xtics scale 0
set yrange [0:*]

set yrange [0:149.37290249468251]
set xrange [-0.6:7.6]

set terminal pngcairo size 1000,620 noenhanced font "DejaVu Sans,11" background rgb "white"
set output "cpu_get_16384.png"
plot "cpu_get_16384.dat" using 2:xtic(1) lc rgb "#0072B2" title "user", \
     "cpu_get_16384.dat" using 3 lc rgb "#D55E00" title "system", \
     "cpu_get_16384.dat" using 4 lc rgb "#009E73" title "softirq", \
     "cpu_get_16384.dat" using 5 lc rgb "#CC79A7" title "guest", \
     "cpu_get_16384.dat" using 6 lc rgb "#E69F00" title "other (nice irq steal gnice)"

set terminal svg size 1000,620 noenhanced font "DejaVu Sans,11" background rgb "white"
set output "cpu_get_16384.svg"
replot
set output
