# heatmap.gp: cells on an (x, y) grid, coloured by class (legend) or by value (colour box).
set style fill solid 1.0 noborder
unset grid
set tics front
set palette defined (0 "#f7fbff", 0.5 "#6baed6", 1 "#08306b")
