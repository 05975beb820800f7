# md2man.awk - one "## " section of a Markdown file (docs/formats.md) as a man(7) page, so the
# section-5 pages stay the text of docs/formats.md. The subset docs/formats.md uses: "###"
# headings, paragraphs, "- " lists, pipe tables, ``` code blocks, `code`, **bold**, links.
# A table becomes one tagged paragraph per row (first column as the tag, the other columns as
# "HEADER: text"), which man renders without tbl.
# Usage: awk -v start="## Run record" -v name=edgevirt-run -v section=5 \
#            -v desc="..." -v seealso="edgevirt-measure(1), ..." -v date=YYYY-MM-DD \
#            -v version=0.1.0 -f md2man.awk docs/formats.md
function esc(s) {
    gsub(/\\/, "\\e", s)
    gsub(/-/, "\\-", s)
    return s
}
function inline(s,    out, i, c, code, bold) {
    # links [text](url) -> text (url)
    while (match(s, /\[[^]]*\]\([^)]*\)/)) {
        l = substr(s, RSTART, RLENGTH)
        t = l; sub(/^\[/, "", t); sub(/\].*/, "", t)
        u = l; sub(/^[^(]*\(/, "", u); sub(/\)$/, "", u)
        s = substr(s, 1, RSTART - 1) t " (" u ")" substr(s, RSTART + RLENGTH)
    }
    s = esc(s)
    out = ""; code = 0; bold = 0
    for (i = 1; i <= length(s); i++) {
        c = substr(s, i, 1)
        if (c == "`") { out = out (code ? "\\fR" : "\\fB"); code = !code; continue }
        if (!code && substr(s, i, 2) == "**") { out = out (bold ? "\\fR" : "\\fB"); bold = !bold; i++; continue }
        out = out c
    }
    if (code || bold) out = out "\\fR"
    return out
}
function line_out(s) {
    # a line starting with . or ' would be a request
    if (s ~ /^[.']/) s = "\\&" s
    print s
}
function cells(s, arr,    n, i) {
    sub(/^[ \t]*\|/, "", s); sub(/\|[ \t]*$/, "", s)
    # "\|" inside a cell stays a bar
    gsub(/\\\|/, "\001", s)
    n = split(s, arr, /\|/)
    for (i = 1; i <= n; i++) { gsub(/\001/, "|", arr[i]); gsub(/^[ \t]+|[ \t]+$/, "", arr[i]) }
    return n
}
BEGIN {
    up = toupper(name)
    printf ".\\\" Generated from docs/formats.md (section \"%s\") by docs/man/md2man.awk; edit that file.\n", substr(start, 4)
    printf ".TH %s %s \"%s\" \"edgevirt %s\" \"File Formats\"\n", up, section, date, version
    print ".SH NAME"
    printf "%s \\- %s\n", name, esc(desc)
    print ".SH DESCRIPTION"
    inside = 0; incode = 0; intable = 0; para = 0
}
{
    if (!inside) { if (index($0, start) == 1) inside = 1; next }
    if (!incode && $0 ~ /^## /) exit
    if (!incode && $0 ~ /^\(owner: [a-z]*\)$/) next
    if ($0 ~ /^```/) {
        if (!incode) { print ".PP"; print ".RS 2"; print ".nf"; print ".ft CR"; incode = 1 }
        else { print ".ft R"; print ".fi"; print ".RE"; incode = 0 }
        para = 0
        next
    }
    if (incode) { s = $0; gsub(/\\/, "\\e", s); line_out(s); next }
    if ($0 ~ /^### /) { s = $0; sub(/^### /, "", s); gsub(/`/, "", s); print ".SS \"" esc(s) "\""; para = 0; intable = 0; next }
    if ($0 ~ /^[ \t]*\|/) {
        n = cells($0, c)
        if (!intable) { nh = n; for (i = 1; i <= n; i++) h[i] = c[i]; intable = 1; next }
        if (c[1] ~ /^:?-+:?$/) next
        print ".TP"
        line_out(inline(c[1]))
        t = ""
        for (i = 2; i <= n; i++) if (c[i] != "") t = t (t == "" ? "" : "; ") (h[i] != "" ? h[i] ": " : "") c[i]
        line_out(inline(t))
        para = 0
        next
    }
    intable = 0
    if ($0 ~ /^[ \t]*$/) { para = 0; next }
    if ($0 ~ /^- /) { s = $0; sub(/^- /, "", s); print ".IP \\(bu 2"; line_out(inline(s)); para = 1; next }
    if (!para) { print ".PP"; para = 1 }
    s = $0; sub(/^[ \t]+/, "", s)
    line_out(inline(s))
}
END {
    if (seealso != "") {
        print ".SH SEE ALSO"
        n = split(seealso, sa, /, */)
        for (i = 1; i <= n; i++) {
            p = sa[i]; pg = p; sub(/\(.*/, "", pg); sec = p; sub(/^[^(]*\(/, "", sec); sub(/\).*/, "", sec)
            printf ".BR %s (%s)%s\n", pg, sec, i < n ? "," : ""
        }
        print ".PP"
        print "docs/formats.md in the edgevirt sources, whose section this page is."
    }
}
