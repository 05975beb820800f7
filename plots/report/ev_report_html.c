/* ev_report_html.c - DIR/index.html of `edgevirt-report plot`: every chart (SVG) with the table
 * behind it, the inputs and their provenance. One file plus its images; no scripts, no network,
 * no absolute paths: it opens from disk in any browser. Written atomically. */
#include "ev_report_plot_priv.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ev_fs.h"

#ifndef EV_VERSION
#define EV_VERSION "unknown"
#endif

static void esc(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f);
        }
    }
}

static void num(FILE *f, double v, const char *fmt)
{
    if (isfinite(v))
        fprintf(f, fmt, v);
    else
        fputs("&ndash;", f);
}

static void figures(FILE *f, const ev_report_plot_ctx *c, const char *section,
                    const char *prefix)
{
    int any = 0;
    for (size_t i = 0; i < c->nchart; i++) {
        const ev_report_chart *ch = &c->charts[i];
        if (strcmp(ch->section, section) || strncmp(ch->base, prefix, strlen(prefix)))
            continue;
        if (!any)
            fputs("<div class=\"row\">\n", f);
        any = 1;
        fputs("<figure>", f);
        if (ch->rendered) {
            fprintf(f, "<a href=\"%s.svg\"><img src=\"%s.svg\" alt=\"", ch->base, ch->base);
            esc(f, ch->title);
            fputs("\"></a>", f);
        } else {
            fputs("<p class=\"missing\">not rendered (gnuplot did not run): ", f);
            fprintf(f, "<a href=\"%s.gp\">%s.gp</a>, <a href=\"%s.dat\">%s.dat</a></p>", ch->base,
                    ch->base, ch->base, ch->base);
        }
        fputs("<figcaption>", f);
        esc(f, ch->title);
        fprintf(f, " &middot; data <a href=\"%s.dat\">%s.dat</a>, script <a href=\"%s.gp\">%s.gp"
                   "</a></figcaption></figure>\n",
                ch->base, ch->base, ch->base, ch->base);
    }
    if (any)
        fputs("</div>\n", f);
}

static void key_cells(FILE *f, const ev_report_key *k, const char *label)
{
    fputs("<td>", f);
    esc(f, label ? label : k->platform);
    fprintf(f, "</td><td>%s</td><td class=\"n\">%u</td><td class=\"n\">%u</td><td class=\"n\">%u"
               "</td><td class=\"n\">%u</td><td class=\"n\">",
            ev_op_name(k->op), (unsigned)k->value_size, (unsigned)k->clients,
            (unsigned)k->pipeline, (unsigned)k->mtu);
    if (k->link_rate_bps > 0)
        fprintf(f, "%g", k->link_rate_bps / 1e6);
    else
        fputs("unlimited", f);   /* 0 = unknown or unlimited (docs/formats.md) */
    fputs("</td>", f);
}

static const char key_head[] = "<th>platform</th><th>op</th><th>value size (B)</th>"
                               "<th>clients</th><th>pipeline</th><th>MTU (B)</th>"
                               "<th>link (Mbit/s)</th>";

static void rps_table(FILE *f, const ev_report_agg *a, size_t n)
{
    fprintf(f, "<table><thead><tr>%s<th>repeats</th><th>source</th><th>RPS mean (req/s)</th>"
               "<th>95 %% lo</th><th>95 %% hi</th></tr></thead><tbody>\n", key_head);
    for (size_t i = 0; i < n; i++) {
        fputs("<tr>", f);
        key_cells(f, &a[i].key, NULL);
        fprintf(f, "<td class=\"n\">%zu</td><td>%s</td><td class=\"n\">", a[i].n,
                a[i].nrecon == a[i].n ? "reconstructed" : a[i].nrecon ? "mixed" : "measured");
        num(f, a[i].rps_mean, "%.1f");
        fputs("</td><td class=\"n\">", f);
        num(f, a[i].n > 1 ? a[i].rps_lo : NAN, "%.1f");
        fputs("</td><td class=\"n\">", f);
        num(f, a[i].n > 1 ? a[i].rps_hi : NAN, "%.1f");
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
}

static void cpu_table(FILE *f, const ev_report_agg *a, size_t n)
{
    fprintf(f, "<table><thead><tr>%s<th>repeats</th><th>user</th><th>system</th><th>softirq</th>"
               "<th>guest</th><th>other</th><th>busy (total)</th><th>CPU per request "
               "(&micro;s)</th></tr></thead><tbody>\n", key_head);
    for (size_t i = 0; i < n; i++) {
        fputs("<tr>", f);
        key_cells(f, &a[i].key, NULL);
        fprintf(f, "<td class=\"n\">%zu</td>", a[i].n);
        static const int cats[4] = { EV_CPU_USER, EV_CPU_SYSTEM, EV_CPU_SOFTIRQ, EV_CPU_GUEST };
        for (int k = 0; k < 4; k++) {
            fputs("<td class=\"n\">", f);
            num(f, a[i].cpu[cats[k]], "%.2f");
            fputs("</td>", f);
        }
        fputs("<td class=\"n\">", f);
        num(f, isfinite(a[i].busy) ? ev_report_cpu_other(&a[i]) : NAN, "%.2f");
        fputs("</td><td class=\"n\">", f);
        num(f, a[i].busy, "%.2f");
        fputs("</td><td class=\"n\">", f);
        num(f, a[i].rps_mean > 0 ? a[i].busy / 100.0 / a[i].rps_mean * 1e6 : NAN, "%.2f");
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody></table>\n<p class=\"small\">CPU in percent of one core, mean over the "
          "repeats, as mpstat reports it (user excludes guest). Busy = every category but idle "
          "and iowait; other = nice + irq + steal + gnice.</p>\n", f);
}

static void pkt_table(FILE *f, const ev_report_agg *a, size_t n)
{
    int any = 0;
    for (size_t i = 0; i < n; i++)
        for (int r = 0; r < EV_NROLES; r++)
            any |= isfinite(a[i].pkt[r][0]) || isfinite(a[i].pkt[r][1]);
    if (!any) {
        fputs("<p>No record carries interface counters (\"packets\"), so there is no packet-size "
              "chart.</p>\n", f);
        return;
    }
    fprintf(f, "<table><thead><tr>%s<th>instance rx (B)</th><th>instance tx (B)</th>"
               "<th>NIC rx (B)</th><th>NIC tx (B)</th></tr></thead><tbody>\n", key_head);
    for (size_t i = 0; i < n; i++) {
        fputs("<tr>", f);
        key_cells(f, &a[i].key, NULL);
        for (int r = 0; r < EV_NROLES; r++)
            for (int d = 0; d < 2; d++) {
                fputs("<td class=\"n\">", f);
                num(f, a[i].pkt[r][d], "%.0f");
                fputs("</td>", f);
            }
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table>\n<p class=\"small\">Average bytes per packet = bytes / packets over "
          "the measured window (vnstat's arithmetic), mean over the repeats; rx and tx as the "
          "host counts them on that interface. The paper's Table 2 shows the same for GET at "
          "64 B and 16 KB.</p>\n", f);
}

/* Distinct provenance lines: file, source, platform, versions, host. */
static void provenance(FILE *f, const ev_report_set *s)
{
    fputs("<table><thead><tr><th>file</th><th>source</th><th>platform</th><th>platform "
          "version</th><th>host</th><th>kernel</th><th>arch</th><th>CPU</th><th>redis</th>"
          "<th>edgevirt</th><th>records</th></tr></thead><tbody>\n", f);
    size_t n = ev_report_set_nrecords(s);
    for (size_t i = 0; i < n; i++) {
        const ev_report_rec *r = ev_report_set_record(s, i);
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++) {
            const ev_report_rec *q = ev_report_set_record(s, j);
            seen = q->file == r->file && q->r.source == r->r.source &&
                   !strcmp(q->r.platform, r->r.platform) &&
                   !strcmp(q->r.platform_version, r->r.platform_version) &&
                   !strcmp(q->r.host, r->r.host) && !strcmp(q->r.kernel, r->r.kernel) &&
                   !strcmp(q->r.arch, r->r.arch) && !strcmp(q->r.cpu_model, r->r.cpu_model) &&
                   !strcmp(q->r.redis_version, r->r.redis_version) &&
                   !strcmp(q->r.ev_version, r->r.ev_version);
        }
        if (seen)
            continue;
        size_t count = 0;
        for (size_t j = i; j < n; j++) {
            const ev_report_rec *q = ev_report_set_record(s, j);
            count += q->file == r->file && q->r.source == r->r.source &&
                     !strcmp(q->r.platform, r->r.platform) &&
                     !strcmp(q->r.platform_version, r->r.platform_version) &&
                     !strcmp(q->r.host, r->r.host) && !strcmp(q->r.kernel, r->r.kernel) &&
                     !strcmp(q->r.arch, r->r.arch) && !strcmp(q->r.cpu_model, r->r.cpu_model) &&
                     !strcmp(q->r.redis_version, r->r.redis_version) &&
                     !strcmp(q->r.ev_version, r->r.ev_version);
        }
        const char *cells[] = { r->file,
                                r->r.source == EV_SOURCE_RECONSTRUCTED ? "reconstructed"
                                                                       : "measured",
                                r->r.platform, r->r.platform_version, r->r.host, r->r.kernel,
                                r->r.arch, r->r.cpu_model, r->r.redis_version, r->r.ev_version };
        fputs(r->r.source == EV_SOURCE_RECONSTRUCTED ? "<tr class=\"recon\">" : "<tr>", f);
        for (size_t k = 0; k < sizeof cells / sizeof cells[0]; k++) {
            fputs("<td>", f);
            if (cells[k][0])
                esc(f, cells[k]);
            else
                fputs("&ndash;", f);
            fputs("</td>", f);
        }
        fprintf(f, "<td class=\"n\">%zu</td></tr>\n", count);
    }
    fputs("</tbody></table>\n", f);
    int failed = 0;
    for (size_t i = 0; i < n; i++) {
        const ev_report_rec *r = ev_report_set_record(s, i);
        if (r->r.ok)
            continue;
        if (!failed)
            fputs("<p>Failed runs (left out of every chart and table):</p><ul>\n", f);
        failed = 1;
        fputs("<li>", f);
        esc(f, r->file);
        fprintf(f, ":%d: ", r->line);
        esc(f, r->r.point);
        fputs(": ", f);
        esc(f, r->r.error);
        fputs("</li>\n", f);
    }
    if (failed)
        fputs("</ul>\n", f);
}

static const char style[] =
    "body{font-family:\"DejaVu Sans\",Arial,sans-serif;margin:1.5em auto;max-width:1500px;"
    "color:#222;padding:0 1em}\n"
    "h1{font-size:1.6em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:1.6em}\n"
    ".row{display:grid;grid-template-columns:repeat(auto-fit,minmax(460px,1fr));gap:1em}\n"
    "figure{margin:0;min-width:0}\n"
    "figure img{width:100%;border:1px solid #ddd}\n"
    "figcaption{font-size:.85em;color:#555}\n"
    "table{border-collapse:collapse;font-size:.85em;margin:.8em 0}\n"
    "th,td{border:1px solid #ccc;padding:.2em .5em}th{background:#f2f2f2}\n"
    "td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
    "tr.recon td{background:#fff6e0}\n"
    ".small{font-size:.85em;color:#555}.missing{color:#a00}\n"
    ".recon-banner{background:#fff6e0;border:1px solid #e0b050;padding:.5em}\n";

int ev_report_write_html(ev_report_plot_ctx *c, ev_error *err)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return ev_error_set(err, EV_ENOMEM, "out of memory");
    const ev_report_plot_summary *s = c->sum;
    fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
               "<title>edgevirt report</title>\n<style>\n%s</style>\n</head>\n<body>\n", style);
    fputs("<h1>edgevirt report</h1>\n", f);
    fprintf(f, "<p>Written by edgevirt-report %s from %zu run records: %zu measured, %zu "
               "reconstructed, %zu failed.", EV_VERSION, s->nrecords, s->nmeasured,
            s->nreconstructed, s->nfailed);
    if (c->paper)
        fputs(" The <a href=\"#paper\">paper section</a> draws the embedded calibration "
              "<strong>reconstructed</strong> from the paper's text.", f);
    fputs("</p>\n<p>Sections: <a href=\"#inputs\">inputs</a>", f);
    if (c->nagg)
        fputs(" &middot; <a href=\"#rps\">requests per second</a> &middot; <a href=\"#cpu\">CPU "
              "split</a> &middot; <a href=\"#packets\">packet sizes</a>", f);
    if (c->model_name[0] && c->nagg)
        fputs(" &middot; <a href=\"#model\">model</a>", f);
    for (size_t i = 0; i < c->nchart; i++)
        if (!strcmp(c->charts[i].section, "drift")) {
            fputs(" &middot; <a href=\"#drift\">drift</a>", f);
            break;
        }
    if (c->nxrows)
        fputs(" &middot; <a href=\"#mixes\">measured mixes</a>", f);
    if (c->paper)
        fputs(" &middot; <a href=\"#paper\">paper (reconstructed)</a>", f);
    fputs("</p>\n", f);

    fputs("<h2 id=\"inputs\">Inputs: hosts, versions, measured or reconstructed</h2>\n", f);
    provenance(f, c->set);
    if (s->nnotes) {
        fputs("<p>Notes:</p><ul>\n", f);
        for (size_t i = 0; i < s->nnotes; i++) {
            fputs("<li>", f);
            esc(f, s->notes[i]);
            fputs("</li>\n", f);
        }
        fputs("</ul>\n", f);
    }

    if (!c->nagg) /* only measured mixes: no GET/SET curve to draw */
        goto after_curves;
    fputs("<h2 id=\"rps\">Requests per second vs value size</h2>\n", f);
    fputs("<p class=\"small\">GET left, SET right. Mean over the repeats with a 95 % t-interval "
          "(error bars); each circle is one repeat. The dashed line marks the MTU: values above "
          "it are cut into several packets.</p>\n", f);
    figures(f, c, "rps", "rps_");
    rps_table(f, c->agg, c->nagg);

    fputs("<h2 id=\"cpu\">CPU split per platform and value size</h2>\n", f);
    figures(f, c, "cpu", "cpu_");
    cpu_table(f, c->agg, c->nagg);

    fputs("<h2 id=\"packets\">Packet sizes per interface (the paper's Table 2)</h2>\n", f);
    figures(f, c, "packets", "packets_");
    pkt_table(f, c->agg, c->nagg);

    if (c->model_name[0]) {
        fputs("<h2 id=\"model\">Model predictions and residuals</h2>\n<p>Model <code>", f);
        esc(f, c->model_name);
        fputs("</code> from <code>", f);
        esc(f, c->model_path);
        fputs("</code>: the line is the prediction with its 95 % interval (band), the error "
              "bars the measured means; residual = measured / predicted - 1.</p>\n", f);
        figures(f, c, "model", "");
        fprintf(f, "<table><thead><tr>%s<th>measured RPS</th><th>predicted RPS</th>"
                   "<th>95 %% lo</th><th>95 %% hi</th><th>residual (%%)</th><th>bottleneck</th>"
                   "</tr></thead><tbody>\n", key_head);
        for (size_t i = 0; i < c->nmrows; i++) {
            const ev_report_model_row *m = &c->mrows[i];
            fputs("<tr>", f);
            key_cells(f, &m->key, NULL);
            fputs("<td class=\"n\">", f);
            num(f, m->measured, "%.1f");
            fputs("</td><td class=\"n\">", f);
            num(f, m->pred, "%.1f");
            fputs("</td><td class=\"n\">", f);
            num(f, m->pred_lo, "%.1f");
            fputs("</td><td class=\"n\">", f);
            num(f, m->pred_hi, "%.1f");
            fputs("</td><td class=\"n\">", f);
            num(f, m->resid_pct, "%+.1f");
            fputs("</td><td>", f);
            esc(f, m->bound);
            fputs("</td></tr>\n", f);
        }
        fputs("</tbody></table>\n", f);
    }
after_curves:

    for (size_t i = 0; i < c->nchart; i++)
        if (!strcmp(c->charts[i].section, "drift")) {
            fputs("<h2 id=\"drift\">Drift over the sweep</h2>\n<p class=\"small\">The spec's "
                  "anchor point (<code>workload.anchor</code>), measured again in every block: "
                  "its RPS over time, in percent of each platform's first anchor. A slope is the "
                  "host changing under the sweep (a Raspberry Pi 4 throttles when hot; a shared "
                  "host has neighbours), not the platforms; re-anchor the model "
                  "(<code>edgevirt-model rescale</code>) when it is large.</p>\n", f);
            figures(f, c, "drift", "drift");
            break;
        }

    if (c->nxrows) {
        fputs("<h2 id=\"mixes\">Measured mixes: measured beside predicted</h2>\n<p>Runs of "
              "an advisor profile's size mix and GET ratio (<code>workload.mixes</code> of the "
              "spec, edgevirt-load's MIX test). Measured: mean RPS over the repeats with its "
              "95 % t-interval. ", f);
        if (c->model_name[0]) {
            fputs("Predicted: model <code>", f);
            esc(f, c->model_name);
            fputs("</code> for the same mix and conditions, with its 95 % interval; error = "
                  "predicted / measured - 1.</p>\n", f);
        } else {
            fputs("Run with <code>--model FILE</code> to put the model's prediction beside "
                  "them.</p>\n", f);
        }
        fputs("<table><thead><tr><th>platform</th><th>mix</th><th>GET ratio</th><th>mean size "
              "(B)</th><th>clients</th><th>pipeline</th><th>MTU</th><th>repeats</th>"
              "<th>measured RPS</th><th>95 % lo</th><th>95 % hi</th><th>predicted RPS</th>"
              "<th>95 % lo</th><th>95 % hi</th><th>error (%)</th></tr></thead><tbody>\n", f);
        for (size_t i = 0; i < c->nxrows; i++) {
            const ev_report_mix_row *w = &c->xrows[i];
            fputs("<tr><td>", f);
            esc(f, w->platform);
            fputs("</td><td>", f);
            esc(f, w->name);
            fputs("</td><td class=\"n\">", f);
            num(f, w->get_ratio, "%.2f");
            fputs("</td><td class=\"n\">", f);
            num(f, w->mean_size, "%.0f");
            fprintf(f, "</td><td class=\"n\">%u</td><td class=\"n\">%u</td><td class=\"n\">",
                    (unsigned)w->clients, (unsigned)w->pipeline);
            if (w->mtu)
                fprintf(f, "%u", (unsigned)w->mtu);
            else
                fputs("-", f);
            fprintf(f, "</td><td class=\"n\">%zu</td><td class=\"n\">", w->n);
            num(f, w->measured, "%.1f");
            fputs("</td><td class=\"n\">", f);
            num(f, w->lo, "%.1f");
            fputs("</td><td class=\"n\">", f);
            num(f, w->hi, "%.1f");
            fputs("</td><td class=\"n\">", f);
            if (c->model_name[0] && !isfinite(w->pred))
                fputs("not in the model", f);
            else
                num(f, w->pred, "%.1f");
            fputs("</td><td class=\"n\">", f);
            num(f, w->pred_lo, "%.1f");
            fputs("</td><td class=\"n\">", f);
            num(f, w->pred_hi, "%.1f");
            fputs("</td><td class=\"n\">", f);
            num(f, w->err_pct, "%+.1f");
            fputs("</td></tr>\n", f);
        }
        fputs("</tbody></table>\n", f);
    }

    if (c->paper) {
        fputs("<h2 id=\"paper\">The paper's calibration (RECONSTRUCTED, not measured)</h2>\n"
              "<p class=\"recon-banner\">These records are <strong>reconstructed</strong> from "
              "the ratios in the paper's text (Ko et al., J-KICS 2024; see data/paper/README.md "
              "for every assumption added): the paper gives no absolute numbers, and it ran on a "
              "Raspberry Pi 4 gateway. Compare shapes and orders with your data, not absolute "
              "values.</p>\n", f);
        figures(f, c, "paper", "paper_rps_");
        figures(f, c, "paper", "paper_cpu_");
        rps_table(f, c->pagg, c->npagg);
        cpu_table(f, c->pagg, c->npagg);
        provenance(f, c->paper);
    }
    fputs("</body>\n</html>\n", f);
    if (fclose(f) != 0) {
        free(text);
        return ev_error_set(err, EV_ENOMEM, "index.html: out of memory");
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/index.html", c->dir);
    int rc = ev_fs_write_atomic(path, text, len, err);
    free(text);
    return rc;
}
