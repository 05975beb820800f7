# xy.gp: line / point series with optional interval bands (shaded, under the lines).
set style fill transparent solid 0.18 noborder
set pointsize 1.1
