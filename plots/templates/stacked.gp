# stacked.gp: stacked bars, one bar per group, one layer per stack.
set style data histograms
set style histogram rowstacked gap 1
set style fill solid 0.88 border rgb "#333333"
set boxwidth 0.62 relative
set grid noxtics ytics
set xtics scale 0
set yrange [0:*]
