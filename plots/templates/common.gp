# edgevirt chart: @TITLE@
# Written by edgevirt (plots/templates/common.gp + @KIND@.gp). Data: @BASE@.dat (C locale).
# Render again with:  gnuplot @BASE@.gp   (writes @BASE@.png and @BASE@.svg)
set encoding utf8
set decimalsign '.'
set datafile missing "NaN"
set title "@TITLE@" font ",15"
set xlabel "@XLABEL@" font ",12"
set ylabel "@YLABEL@" font ",12"
set border 3 lw 1.2
set tics nomirror out
set grid xtics ytics lc rgb "#e0e0e0" lw 1 dt 1
set key @KEY@ box lc rgb "#999999" opaque samplen 2.5 spacing 1.15 width 1
set lmargin 12
set style textbox opaque fillcolor rgb "white" margins 2,2 noborder
set bmargin 4.5
@KIND_SETTINGS@
@SETTINGS@
set terminal pngcairo size 1000,620 noenhanced font "DejaVu Sans,11" background rgb "white"
set output "@BASE@.png"
@PLOT@
set terminal svg size 1000,620 noenhanced font "DejaVu Sans,11" background rgb "white"
set output "@BASE@.svg"
replot
set output
