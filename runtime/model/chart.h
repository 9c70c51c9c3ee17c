/* Charts (spec 13): what a plot draws, as numbers, and its two drawings --
 * text for a terminal (Unicode braille dots, or ASCII) and a standalone
 * SVG.  Nothing here knows the model: plot.c fills an OnsChart. */
#ifndef ONS_RUNTIME_CHART_H
#define ONS_RUNTIME_CHART_H

#include "output.h"
#include "units.h"

#include <stdio.h>

typedef enum OnsChartKind {
    CHART_LINES,    /* a line a series over the years */
    CHART_BAND,     /* series[0] low, [1] middle, [2] high: a band around a line */
    CHART_BARS      /* one series, a bar a label */
} OnsChartKind;

typedef struct OnsChartSeries {
    char *name;
    double *y;      /* [npoints], base units; NAN where undefined */
} OnsChartSeries;

typedef struct OnsChart {
    OnsChartKind kind;
    char *header;   /* the report header line: above a text chart, an SVG's title */
    char *title;    /* "localization for US" */
    OnsDim dim;     /* of the values */
    bool percent;   /* values are shares, shown as % */
    uint32_t npoints;
    int32_t *years;         /* lines, band: the x of each point */
    char **labels;          /* bars: the name of each bar */
    char **notes;           /* bars: text after each bar ("98.4%") */
    bool first_is_local;    /* bars: the first is the region's own supply (its own colour) */
    OnsChartSeries *series;
    uint32_t nseries;
    size_t cap_series;
} OnsChart;

/* How a text chart is drawn. */
typedef struct OnsChartStyle {
    int width;      /* columns */
    bool unicode;   /* braille and box drawing; else ASCII */
    bool colour;    /* ANSI colours */
} OnsChartStyle;

void chart_init(OnsChart *c, OnsChartKind kind, uint32_t npoints);
/* A new series with every point NAN; name copied. */
OnsChartSeries *chart_add_series(OnsChart *c, const char *name);
void chart_free(OnsChart *c);

/* The style for output to f: the terminal's width, or $COLUMNS (72 when f
 * is not a terminal and COLUMNS is not set), Unicode when the locale is UTF-8 and TERM is not dumb, colour
 * only on a terminal and never with NO_COLOR. */
OnsChartStyle chart_style_for(FILE *f);
void chart_render_text(const OnsChart *c, const OnsChartStyle *style, OnsOut *out);
/* A standalone SVG document: the same bytes for the same chart. */
void chart_render_svg(const OnsChart *c, OnsOut *out);

#endif
