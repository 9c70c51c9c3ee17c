/* The linear program of a plan (spec 12), built column by column and row by
 * row from an OnsPlanInput, solved with Clp (Cbc when an option has `size`).
 *
 *   x(f, r, y)  shipments, in the material's declared unit
 *   b(o, y)     capacity decided (with `size`: n(o, y), whole multiples of it)
 *   s(r, m, y)  shortage
 *
 * Rows: balance per (r, m, y) that can need m; capacity per (f, y); max per
 * option; quotas per (quota, y); one row per enforced require rule and year
 * (per non-local origin for a top origin share).  See docs/model.md. */
#include "plan.h"
#include "mem.h"

#include "coin.h"
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the solvers, loaded by plan_solve (coin.h) */
static const OnsCoin *coin;

#define OBJ_UNIT 1e6            /* the program's money is in millions */

/* The largest program a plan may make: 2 million columns and 20 million
 * coefficients (about 400 MB while it is built); the fuzz build lowers them. */
#ifndef ONS_MAX_PLAN_COLUMNS
#define ONS_MAX_PLAN_COLUMNS ((size_t)2 * 1000 * 1000)
#endif
#ifndef ONS_MAX_PLAN_ENTRIES
#define ONS_MAX_PLAN_ENTRIES ((size_t)20 * 1000 * 1000)
#endif
#define INF DBL_MAX

enum ColKind { COL_SHIP, COL_BUILD, COL_SHORT, COL_SLACK };
enum RowKind { ROW_BALANCE, ROW_CAPACITY, ROW_MAX, ROW_QUOTA, ROW_RULE };

typedef struct Col {
    uint8_t kind;
    bool integer;
    uint32_t a, b, y;           /* ship: facility, region; build: option; short: region, material */
    double lb, ub;              /* in program units */
    double scale;               /* base units in one program unit */
    double supply, tariff;      /* objective parts per program unit, discounted, in $ (not scaled) */
} Col;

typedef struct Row {
    uint8_t kind;
    uint32_t a, b, y;           /* balance: region, material; capacity: facility; max: option;
                                 * quota: quota; rule: rule, origin (UINT32_MAX: none) */
    double lb, ub;              /* in program units */
    double scale;               /* the row is the base-unit row divided by it */
    double denom_const;         /* rule rows: the target's constant multiplier (weighted declared demand) */
} Row;

typedef struct Entry {
    uint32_t col, row;
    double v;
} Entry;

typedef struct Lp {
    OnsPlanInput *in;
    Col *cols;
    size_t ncols, cols_cap;
    Row *rows;
    size_t nrows, rows_cap;
    Entry *e;
    size_t ne, e_cap;
    Entry *denom;               /* rule rows: what the target multiplies (col, row, base coefficient) */
    size_t nden, den_cap;
    /* index maps */
    bool *need;                 /* [m][r]: r may need m in some year */
    int64_t *ship_col0;         /* [y][f]: the first ship column of f in y, -1: none */
    int64_t *build_col;         /* [f][y]: -1 none */
    int64_t *short_col;         /* [y][m][r] */
    int64_t *balance_row;       /* [y][m][r] */
    bool too_large;             /* a limit above was reached: the program is not made */
    bool with_rules;            /* enforced rules become rows */
    bool elastic;               /* rule rows get slack columns, and only slack costs (to find an unmeetable rule) */
} Lp;

static size_t YF(const OnsPlanInput *in, uint32_t y, uint32_t f) { return (size_t)y * in->nfac + f; }
static size_t YM(const OnsPlanInput *in, uint32_t y, uint32_t m) { return (size_t)y * in->nmat + m; }
static size_t YMR(const OnsPlanInput *in, uint32_t y, uint32_t m, uint32_t r)
{
    return ((size_t)y * in->nmat + m) * in->nreg + r;
}
static size_t YMOD(const OnsPlanInput *in, uint32_t y, uint32_t m, uint32_t o, uint32_t d)
{
    return (((size_t)y * in->nmat + m) * in->nreg + o) * in->nreg + d;
}

static double unit_scale(const OnsPlanInput *in, uint32_t mat)
{
    double f = in->m->materials[mat].unit_factor;
    return f > 0 ? f : 1;
}

static uint32_t add_col(Lp *lp, Col c)
{
    if (lp->ncols >= (size_t)ONS_MAX_PLAN_COLUMNS) {
        lp->too_large = true;
        return 0;
    }
    ONS_GROW(lp->cols, lp->cols_cap, lp->ncols + 1);
    lp->cols[lp->ncols] = c;
    return (uint32_t)lp->ncols++;
}

static uint32_t add_row(Lp *lp, Row r)
{
    if (lp->nrows >= (size_t)ONS_MAX_PLAN_COLUMNS) {
        lp->too_large = true;
        return 0;
    }
    ONS_GROW(lp->rows, lp->rows_cap, lp->nrows + 1);
    lp->rows[lp->nrows] = r;
    return (uint32_t)lp->nrows++;
}

/* Adds coefficient v (base units: the row's unit per the column's base unit) */
static void put(Lp *lp, uint32_t row, uint32_t col, double v)
{
    if (v == 0 || lp->too_large) return;
    if (lp->ne >= (size_t)ONS_MAX_PLAN_ENTRIES) {
        lp->too_large = true;
        return;
    }
    ONS_GROW(lp->e, lp->e_cap, lp->ne + 1);
    lp->e[lp->ne++] = (Entry){col, row, v};
}

static void put_denom(Lp *lp, uint32_t row, uint32_t col, double v)
{
    if (v == 0 || lp->too_large) return;
    if (lp->nden >= (size_t)ONS_MAX_PLAN_ENTRIES) {
        lp->too_large = true;
        return;
    }
    ONS_GROW(lp->denom, lp->den_cap, lp->nden + 1);
    lp->denom[lp->nden++] = (Entry){col, row, v};
}

static double discount_factor(const OnsPlanInput *in, uint32_t y)
{
    return pow(1 + in->discount, -(double)y);
}

/* The value of a unit short: shortage_cost x the price; a material without
 * a price is valued at the dearest unit cost of what makes it that year
 * (docs/reference.md), or $1 when nothing does. */
static double shortage_price(const OnsPlanInput *in, uint32_t y, uint32_t mat)
{
    double p = in->price[YM(in, y, mat)];
    if (!isnan(p)) return p;
    double most = NAN;
    for (uint32_t f = 0; f < in->nfac; f++) {
        if (!in->active[f] || in->m->facilities[f].makes != mat) continue;
        double n = in->net[YF(in, y, f)];
        if (!isnan(n) && (isnan(most) || n > most)) most = n;
    }
    return isnan(most) || most <= 0 ? 1 : most;
}

/* Which (material, region) may ever need supply: declared demand, or a
 * facility of the region whose recipe takes the material. */
static void find_needs(Lp *lp)
{
    OnsPlanInput *in = lp->in;
    for (uint32_t y = 0; y < in->nyears; y++) {
        for (uint32_t m = 0; m < in->nmat; m++)
            for (uint32_t r = 0; r < in->nreg; r++)
                if (in->demand[YMR(in, y, m, r)] > 0) lp->need[(size_t)m * in->nreg + r] = true;
        for (uint32_t f = 0; f < in->nfac; f++) {
            if (!in->active[f]) continue;
            uint32_t r = in->m->facilities[f].region;
            for (size_t k = in->recipe_at[YF(in, y, f)]; k < in->recipe_at[YF(in, y, f) + 1]; k++)
                if (in->recipe_amount[k] > 0) lp->need[(size_t)in->recipe_input[k] * in->nreg + r] = true;
        }
    }
}

/* ---- columns ---- */

static OnsStatus ship_columns(OnsVM *vm, Lp *lp)
{
    OnsPlanInput *in = lp->in;
    const OnsModel *m = in->m;
    for (uint32_t y = 0; y < in->nyears; y++) {
        double disc = discount_factor(in, y);
        for (uint32_t f = 0; f < in->nfac; f++) {
            lp->ship_col0[YF(in, y, f)] = -1;
            if (!in->active[f]) continue;
            const OnsFacility *fa = &m->facilities[f];
            bool option = fa->is_option;
            if (!option && !(in->cap[YF(in, y, f)] > 0)) continue;
            uint32_t mat = fa->makes, o = fa->region;
            double net = in->net[YF(in, y, f)];
            bool any = false;
            for (uint32_t r = 0; r < in->nreg; r++) {
                if (!lp->need[(size_t)mat * in->nreg + r]) continue;
                size_t k = YMOD(in, y, mat, o, r);
                if (o != r && in->ban[k]) continue;
                if (!any && isnan(net))
                    return vm_error(vm, "cannot plan %s in %d: %s has no cost (give it `cost:` or %s a price)",
                                    m->materials[mat].e.name->chars, in->year_from + (int32_t)y,
                                    fa->e.name->chars, m->materials[mat].e.name->chars);
                double tariff = o == r ? 0 : in->adv[k] * net + in->per_unit[k];
                double lane = o == r ? 0 : in->lane[k];
                double sc = unit_scale(in, mat);
                Col c = {COL_SHIP, false, f, r, y, 0, INF, sc, disc * net * (1 + lane) * sc, disc * tariff * sc};
                uint32_t j = add_col(lp, c);
                if (!any) lp->ship_col0[YF(in, y, f)] = j;
                any = true;
            }
        }
    }
    return ONS_OK;
}

static void build_columns(Lp *lp)
{
    OnsPlanInput *in = lp->in;
    for (uint32_t f = 0; f < in->nfac; f++) {
        for (uint32_t y = 0; y < in->nyears; y++) lp->build_col[(size_t)f * in->nyears + y] = -1;
        if (!in->active[f] || !in->m->facilities[f].is_option) continue;
        int32_t first = in->from[f] > in->year_from ? in->from[f] - in->year_from : 0;
        double size = in->size[f];
        double sc = size > 0 ? size : unit_scale(in, in->m->facilities[f].makes);
        for (uint32_t y = (uint32_t)(first > 0 ? first : 0); y < in->nyears; y++) {
            if ((double)y + in->lead[f] > (double)(in->nyears - 1)) break; /* never in service within the years */
            double capex = in->capex[YF(in, y, f)];
            Col c = {COL_BUILD, size > 0, f, 0, y, 0, INF, sc, discount_factor(in, y) * capex * sc, 0};
            if (in->max[f] < INFINITY) c.ub = size > 0 ? floor(in->max[f] / size + 1e-9) : in->max[f] / sc;
            lp->build_col[(size_t)f * in->nyears + y] = add_col(lp, c);
        }
    }
}

static void shortage_columns(Lp *lp)
{
    OnsPlanInput *in = lp->in;
    for (uint32_t y = 0; y < in->nyears; y++) {
        double disc = discount_factor(in, y);
        for (uint32_t mat = 0; mat < in->nmat; mat++)
            for (uint32_t r = 0; r < in->nreg; r++) {
                lp->short_col[YMR(in, y, mat, r)] = -1;
                if (!lp->need[(size_t)mat * in->nreg + r]) continue;
                double sc = unit_scale(in, mat);
                double cost = disc * in->shortage_cost * shortage_price(in, y, mat) * sc;
                Col c = {COL_SHORT, false, r, mat, y, 0, INF, sc, cost, 0};
                if (in->propagates) c.ub = in->demand[YMR(in, y, mat, r)] / sc;
                lp->short_col[YMR(in, y, mat, r)] = add_col(lp, c);
            }
    }
}

/* The ship columns of facility f in year y: [*first, *end). */
static bool ships_of(const Lp *lp, uint32_t y, uint32_t f, uint32_t *first, uint32_t *end)
{
    int64_t j = lp->ship_col0[YF(lp->in, y, f)];
    if (j < 0) return false;
    uint32_t k = (uint32_t)j;
    while (k < lp->ncols && lp->cols[k].kind == COL_SHIP && lp->cols[k].a == f && lp->cols[k].y == y) k++;
    *first = (uint32_t)j;
    *end = k;
    return true;
}

/* ---- rows ---- */

static void balance_rows(Lp *lp)
{
    OnsPlanInput *in = lp->in;
    const OnsModel *m = in->m;
    for (uint32_t y = 0; y < in->nyears; y++)
        for (uint32_t mat = 0; mat < in->nmat; mat++)
            for (uint32_t r = 0; r < in->nreg; r++) {
                lp->balance_row[YMR(in, y, mat, r)] = -1;
                if (!lp->need[(size_t)mat * in->nreg + r]) continue;
                double d = in->demand[YMR(in, y, mat, r)], sc = unit_scale(in, mat);
                uint32_t i = add_row(lp, (Row){ROW_BALANCE, r, mat, y, d / sc, d / sc, sc, 0});
                lp->balance_row[YMR(in, y, mat, r)] = i;
            }
    /* what arrives, and what each facility's output takes of its inputs */
    for (uint32_t j = 0; j < lp->ncols; j++) {
        const Col *c = &lp->cols[j];
        if (c->kind == COL_SHORT) {
            put(lp, (uint32_t)lp->balance_row[YMR(in, c->y, c->b, c->a)], j, 1);
            continue;
        }
        if (c->kind != COL_SHIP) continue;
        const OnsFacility *fa = &m->facilities[c->a];
        put(lp, (uint32_t)lp->balance_row[YMR(in, c->y, fa->makes, c->b)], j, 1);
        size_t at = YF(in, c->y, c->a);
        for (size_t k = in->recipe_at[at]; k < in->recipe_at[at + 1]; k++) {
            int64_t row = lp->balance_row[YMR(in, c->y, in->recipe_input[k], fa->region)];
            if (row >= 0) put(lp, (uint32_t)row, j, -in->recipe_amount[k]);
        }
    }
}

static void capacity_rows(Lp *lp)
{
    OnsPlanInput *in = lp->in;
    const OnsModel *m = in->m;
    for (uint32_t y = 0; y < in->nyears; y++)
        for (uint32_t f = 0; f < in->nfac; f++) {
            uint32_t first, end;
            if (!ships_of(lp, y, f, &first, &end)) continue;
            const OnsFacility *fa = &m->facilities[f];
            double sc = unit_scale(in, fa->makes);
            double cap = fa->is_option ? 0 : in->cap[YF(in, y, f)];
            uint32_t i = add_row(lp, (Row){ROW_CAPACITY, f, 0, y, -INF, cap / sc, sc, 0});
            for (uint32_t j = first; j < end; j++) put(lp, i, j, 1);
            if (!fa->is_option) continue;
            /* decisions in service by y: decided at y' with y' + lead + qualify <= y */
            double util = in->util[YF(in, y, f)], q = in->qualify[YF(in, y, f)];
            for (uint32_t d = 0; d <= y; d++) {
                int64_t b = lp->build_col[(size_t)f * in->nyears + d];
                if (b >= 0 && (double)d + in->lead[f] + q <= (double)y + 1e-9) put(lp, i, (uint32_t)b, -util);
            }
        }
    for (uint32_t f = 0; f < in->nfac; f++) {
        if (!in->active[f] || !m->facilities[f].is_option || !(in->max[f] < INFINITY) || in->size[f] > 0) continue;
        /* a single decision year needs no row: its column's bound says it */
        double sc = unit_scale(in, m->facilities[f].makes);
        uint32_t i = UINT32_MAX;
        for (uint32_t y = 0; y < in->nyears; y++) {
            int64_t b = lp->build_col[(size_t)f * in->nyears + y];
            if (b < 0) continue;
            if (i == UINT32_MAX) i = add_row(lp, (Row){ROW_MAX, f, 0, 0, -INF, in->max[f] / sc, sc, 0});
            put(lp, i, (uint32_t)b, 1);
        }
    }
    for (uint32_t f = 0; f < in->nfac; f++) {
        if (!in->active[f] || !m->facilities[f].is_option || !(in->max[f] < INFINITY) || !(in->size[f] > 0)) continue;
        uint32_t i = UINT32_MAX;
        for (uint32_t y = 0; y < in->nyears; y++) {
            int64_t b = lp->build_col[(size_t)f * in->nyears + y];
            if (b < 0) continue;
            if (i == UINT32_MAX) i = add_row(lp, (Row){ROW_MAX, f, 0, 0, -INF, in->max[f] / in->size[f], in->size[f], 0});
            put(lp, i, (uint32_t)b, 1);
        }
    }
}

static void quota_rows(Lp *lp)
{
    OnsPlanInput *in = lp->in;
    for (uint32_t y = 0; y < in->nyears; y++)
        for (uint32_t q = 0; q < in->nquotas; q++) {
            double cap = in->quota_cap[(size_t)y * in->nquotas + q];
            if (isnan(cap)) continue;
            uint32_t i = UINT32_MAX;
            for (uint32_t j = 0; j < lp->ncols && lp->cols[j].kind == COL_SHIP; j++) {
                const Col *c = &lp->cols[j];
                if (c->y != y) continue;
                const OnsFacility *fa = &in->m->facilities[c->a];
                uint32_t o = fa->region;
                if (o == c->b || !in->quota_mat[(size_t)q * in->nmat + fa->makes] ||
                    !in->quota_from[(size_t)q * in->nreg + o] || !in->quota_to[(size_t)q * in->nreg + c->b])
                    continue;
                if (i == UINT32_MAX) i = add_row(lp, (Row){ROW_QUOTA, q, 0, y, -INF, cap, 1, 0});
                put(lp, i, j, 1);
            }
        }
}

/* The weight of a material in a rule: its price when the rule is by value
 * (a share of, always; the others when units differ), else 1. */
static bool rule_by_value(const OnsPlanInput *in, const OnsRule *r)
{
    if (r->metric == ONS_METRIC_SHARE) return true;
    bool first = true;
    OnsDim d = dim_none();
    for (uint32_t mat = 0; mat < in->nmat; mat++) {
        if (!in->m->materials[mat].e.name || !model_selector_matches(in->m, &r->sel, mat)) continue;
        if (first) d = in->m->materials[mat].unit_dim;
        else if (!dim_eq(d, in->m->materials[mat].unit_dim)) return true;
        first = false;
    }
    return false;
}

/* One enforced rule in one year: sum(a x) CMP v x sum(h x) + v x D, written
 * as sum((a - v h) x) CMP v D, with the h terms kept for its shadow price. */
static OnsStatus rule_rows(OnsVM *vm, Lp *lp, uint32_t k, uint32_t y)
{
    OnsPlanInput *in = lp->in;
    const OnsModel *m = in->m;
    const OnsRule *r = in->rules[k].rule;
    double v = in->rules[k].target[y];
    bool by_value = rule_by_value(in, r);
    uint32_t R = r->region;
    bool ge = r->cmp == ONS_CMP_GE || r->cmp == ONS_CMP_GT;
    for (uint32_t mat = 0; mat < in->nmat; mat++) {
        if (!m->materials[mat].e.name || !model_selector_matches(m, &r->sel, mat)) continue;
        if (by_value && isnan(in->price[YM(in, y, mat)]))
            return vm_error_at(vm, r->src, r->span,
                               "cannot enforce this rule: material %s has no price, and the rule weighs materials "
                               "by value (give it `price:`)",
                               m->materials[mat].e.name->chars);
    }
    uint32_t norigins = r->metric == ONS_METRIC_TOP_ORIGIN ? in->nreg : 1;
    for (uint32_t origin = 0; origin < norigins; origin++) {
        if (r->metric == ONS_METRIC_TOP_ORIGIN && origin == R) continue;
        Row row = {ROW_RULE, k, r->metric == ONS_METRIC_TOP_ORIGIN ? origin : UINT32_MAX, y, -INF, INF, 1, 0};
        double dconst = 0;
        if (r->metric == ONS_METRIC_LOCALIZATION)
            for (uint32_t mat = 0; mat < in->nmat; mat++)
                if (m->materials[mat].e.name && model_selector_matches(m, &r->sel, mat))
                    dconst += in->demand[YMR(in, y, mat, R)] * (by_value ? in->price[YM(in, y, mat)] : 1);
        row.denom_const = dconst;
        if (ge) row.lb = v * dconst;
        else row.ub = v * dconst;
        /* rows in money are kept in millions, like the objective */
        if (by_value) row.scale = OBJ_UNIT;
        uint32_t i = add_row(lp, row);
        for (uint32_t j = 0; j < lp->ncols && lp->cols[j].kind == COL_SHIP; j++) {
            const Col *c = &lp->cols[j];
            if (c->y != y) continue;
            const OnsFacility *fa = &m->facilities[c->a];
            uint32_t mat = fa->makes;
            bool in_sel = model_selector_matches(m, &r->sel, mat);
            double w = by_value ? in->price[YM(in, y, mat)] : 1;
            double a = 0, h = 0;
            if (r->metric == ONS_METRIC_LOCALIZATION) {
                if (in_sel && c->b == R && fa->region == R) a = w;
                if (fa->region == R) /* its output's inputs are demand in R */
                    for (size_t q = in->recipe_at[YF(in, y, c->a)]; q < in->recipe_at[YF(in, y, c->a) + 1]; q++) {
                        uint32_t input = in->recipe_input[q];
                        if (model_selector_matches(m, &r->sel, input))
                            h += in->recipe_amount[q] * (by_value ? in->price[YM(in, y, input)] : 1);
                    }
            } else if (in_sel && c->b == R) {
                h = w;
                switch ((OnsMetric)r->metric) {
                case ONS_METRIC_SHARE: a = model_region_set_matches(m, &r->from, fa->region) ? w : 0; break;
                case ONS_METRIC_RECYCLED: a = in->recycled[YF(in, y, c->a)] ? w : 0; break;
                case ONS_METRIC_TOP_ORIGIN: a = fa->region == origin ? w : 0; break;
                default: break;
                }
            }
            put(lp, i, j, a - v * h);
            put_denom(lp, i, j, h);
        }
        if (lp->elastic) {
            Col slack = {COL_SLACK, false, i, 0, y, 0, INF, 1, OBJ_UNIT, 0};
            uint32_t j = add_col(lp, slack);
            put(lp, i, j, (ge ? 1 : -1) * row.scale);
        }
    }
    return ONS_OK;
}

/* At most how many shipment columns the program will have (every active
 * facility, every year, to every region that may need what it makes). */
static size_t ship_columns_bound(const Lp *lp)
{
    const OnsPlanInput *in = lp->in;
    size_t n = 0;
    for (uint32_t f = 0; f < in->nfac; f++) {
        if (!in->active[f]) continue;
        uint32_t mat = in->m->facilities[f].makes;
        for (uint32_t r = 0; r < in->nreg; r++) n += lp->need[(size_t)mat * in->nreg + r];
    }
    return n * in->nyears;
}

static OnsStatus build(OnsVM *vm, Lp *lp)
{
    OnsPlanInput *in = lp->in;
    find_needs(lp);
    if (ship_columns_bound(lp) > (size_t)ONS_MAX_PLAN_COLUMNS) lp->too_large = true; /* say so before making any */
    else ONS_TRY(ship_columns(vm, lp));
    build_columns(lp);
    shortage_columns(lp);
    balance_rows(lp);
    capacity_rows(lp);
    quota_rows(lp);
    if (lp->with_rules)
        for (uint32_t y = 0; y < in->nyears && !lp->too_large; y++)
            for (uint32_t k = 0; k < in->nrules && !lp->too_large; k++)
                if (!isnan(in->rules[k].target[y])) ONS_TRY(rule_rows(vm, lp, k, y));
    if (lp->too_large)
        return vm_error(vm, "the plan of scenario %s is too large to solve here (more than %zu columns or %zu "
                            "coefficients): plan fewer years, regions or facilities",
                        in->scenario, (size_t)ONS_MAX_PLAN_COLUMNS, (size_t)ONS_MAX_PLAN_ENTRIES);
    return ONS_OK;
}

static void lp_free(Lp *lp)
{
    ons_free(lp->cols);
    ons_free(lp->rows);
    ons_free(lp->e);
    ons_free(lp->denom);
    ons_free(lp->need);
    ons_free(lp->ship_col0);
    ons_free(lp->build_col);
    ons_free(lp->short_col);
    ons_free(lp->balance_row);
    memset(lp, 0, sizeof *lp);
}

static OnsStatus lp_make(OnsVM *vm, OnsPlanInput *in, bool with_rules, bool elastic, Lp *lp)
{
    memset(lp, 0, sizeof *lp);
    lp->in = in;
    lp->with_rules = with_rules;
    lp->elastic = elastic;
    size_t YMRn = (size_t)in->nyears * in->nmat * in->nreg;
    lp->need = ons_calloc((size_t)in->nmat * in->nreg + 1, sizeof(bool));
    lp->ship_col0 = ons_calloc((size_t)in->nyears * in->nfac + 1, sizeof(int64_t));
    lp->build_col = ons_calloc((size_t)in->nyears * in->nfac + 1, sizeof(int64_t));
    lp->short_col = ons_calloc(YMRn + 1, sizeof(int64_t));
    lp->balance_row = ons_calloc(YMRn + 1, sizeof(int64_t));
    OnsStatus st = build(vm, lp);
    if (st != ONS_OK) lp_free(lp);
    return st;
}

/* ---- the matrix in the solvers' form ---- */

static int entry_order(const void *a, const void *b)
{
    const Entry *x = a, *y = b;
    if (x->col != y->col) return x->col < y->col ? -1 : 1;
    return (x->row > y->row) - (x->row < y->row);
}

typedef struct Matrix {
    int *start, *index;
    double *value;
    double *collb, *colub, *obj, *rowlb, *rowub;
} Matrix;

/* Column-major, duplicates summed, scaled into program units. */
static void matrix_make(Lp *lp, Matrix *mx)
{
    if (lp->ne > 1) qsort(lp->e, lp->ne, sizeof(Entry), entry_order);
    size_t n = 0;
    for (size_t i = 0; i < lp->ne; i++) {
        if (n > 0 && lp->e[n - 1].col == lp->e[i].col && lp->e[n - 1].row == lp->e[i].row) lp->e[n - 1].v += lp->e[i].v;
        else lp->e[n++] = lp->e[i];
    }
    lp->ne = n;
    mx->start = ons_calloc(lp->ncols + 1, sizeof(int));
    mx->index = ons_calloc(n + 1, sizeof(int));
    mx->value = ons_calloc(n + 1, sizeof(double));
    for (size_t i = 0; i < n; i++) {
        const Entry *e = &lp->e[i];
        mx->start[e->col + 1]++;
        mx->index[i] = (int)e->row;
        mx->value[i] = e->v * lp->cols[e->col].scale / lp->rows[e->row].scale;
    }
    for (size_t j = 0; j < lp->ncols; j++) mx->start[j + 1] += mx->start[j];
    mx->collb = ons_calloc(lp->ncols + 1, sizeof(double));
    mx->colub = ons_calloc(lp->ncols + 1, sizeof(double));
    mx->obj = ons_calloc(lp->ncols + 1, sizeof(double));
    for (size_t j = 0; j < lp->ncols; j++) {
        const Col *c = &lp->cols[j];
        mx->collb[j] = c->lb;
        mx->colub[j] = c->ub;
        mx->obj[j] = (c->supply + c->tariff) / OBJ_UNIT;
        if (lp->elastic) mx->obj[j] = c->kind == COL_SLACK ? 1 : 0;
    }
    mx->rowlb = ons_calloc(lp->nrows + 1, sizeof(double));
    mx->rowub = ons_calloc(lp->nrows + 1, sizeof(double));
    for (size_t i = 0; i < lp->nrows; i++) {
        mx->rowlb[i] = lp->rows[i].lb;
        mx->rowub[i] = lp->rows[i].ub;
        if (lp->rows[i].kind == ROW_RULE) { /* rule rows were built in base units, like the others */
            if (mx->rowlb[i] > -INF) mx->rowlb[i] /= lp->rows[i].scale;
            if (mx->rowub[i] < INF) mx->rowub[i] /= lp->rows[i].scale;
        }
    }
}

static void matrix_free(Matrix *mx)
{
    ons_free(mx->start);
    ons_free(mx->index);
    ons_free(mx->value);
    ons_free(mx->collb);
    ons_free(mx->colub);
    ons_free(mx->obj);
    ons_free(mx->rowlb);
    ons_free(mx->rowub);
}

/* ---- names and the LP file ---- */

static void col_name(const Lp *lp, size_t j, char *buf, size_t n)
{
    const Col *c = &lp->cols[j];
    const OnsModel *m = lp->in->m;
    int year = lp->in->year_from + (int32_t)c->y;
    switch ((enum ColKind)c->kind) {
    case COL_SHIP:
        snprintf(buf, n, "x_%s_%s_%d", m->facilities[c->a].e.name->chars, m->regions[c->b].e.name->chars, year);
        break;
    case COL_BUILD:
        snprintf(buf, n, "%s_%s_%d", c->integer ? "n" : "b", m->facilities[c->a].e.name->chars, year);
        break;
    case COL_SHORT:
        snprintf(buf, n, "s_%s_%s_%d", m->regions[c->a].e.name->chars, m->materials[c->b].e.name->chars, year);
        break;
    case COL_SLACK: snprintf(buf, n, "slack_%u", c->a); break;
    }
}

static void row_name(const Lp *lp, size_t i, char *buf, size_t n)
{
    const Row *r = &lp->rows[i];
    const OnsModel *m = lp->in->m;
    int year = lp->in->year_from + (int32_t)r->y;
    switch ((enum RowKind)r->kind) {
    case ROW_BALANCE:
        snprintf(buf, n, "balance_%s_%s_%d", m->regions[r->a].e.name->chars, m->materials[r->b].e.name->chars, year);
        break;
    case ROW_CAPACITY: snprintf(buf, n, "capacity_%s_%d", m->facilities[r->a].e.name->chars, year); break;
    case ROW_MAX: snprintf(buf, n, "max_%s", m->facilities[r->a].e.name->chars); break;
    case ROW_QUOTA: snprintf(buf, n, "quota_%u_%d", r->a + 1, year); break;
    case ROW_RULE: {
        const OnsPlanRule *pr = &lp->in->rules[r->a];
        if (r->b != UINT32_MAX)
            snprintf(buf, n, "require_%s_%u_%d_%s", m->policies[pr->policy].e.name->chars, pr->number, year,
                     m->regions[r->b].e.name->chars);
        else
            snprintf(buf, n, "require_%s_%u_%d", m->policies[pr->policy].e.name->chars, pr->number, year);
        break;
    }
    }
}

static void lp_number(OnsOut *out, double v)
{
    /* 15 digits when they read back as v (most numbers), else 17 */
    char b[40];
    snprintf(b, sizeof b, "%.15g", v);
    if (strtod(b, NULL) != v) snprintf(b, sizeof b, "%.17g", v);
    out_puts(out, b);
}

/* The program in CPLEX LP format, in program units (declared units, M$). */
static void write_lp(const Lp *lp, const Matrix *mx, OnsOut *out)
{
    const OnsPlanInput *in = lp->in;
    char name[256];
    out_printf(out, "\\ Onshore plan of scenario %s, %d..%d\n", in->scenario, in->year_from,
               in->year_from + (int32_t)in->nyears - 1);
    out_puts(out, "\\ amounts in each material's declared unit (its capacities per year), money in millions of $\n");
    out_printf(out, "\\ discounted to %d; %zu columns, %zu rows\n", in->year_from, lp->ncols, lp->nrows);
    if (lp->ncols == 0) { /* nothing to decide: a valid program that says so */
        out_puts(out, "Minimize\n cost: 0 nothing_to_plan\nSubject To\n nothing: nothing_to_plan >= 0\nEnd\n");
        return;
    }
    out_puts(out, "Minimize\n cost:");
    int terms = 0;
    for (size_t j = 0; j < lp->ncols; j++) {
        if (mx->obj[j] == 0) continue;
        col_name(lp, j, name, sizeof name);
        out_puts(out, mx->obj[j] < 0 ? " - " : " + ");
        lp_number(out, fabs(mx->obj[j]));
        out_printf(out, " %s", name);
        if (++terms % 4 == 0) out_puts(out, "\n ");
    }
    if (terms == 0) { /* an objective needs a term */
        col_name(lp, 0, name, sizeof name);
        out_printf(out, " 0 %s", name);
    }
    out_puts(out, "\nSubject To\n");
    /* rows from the column-major matrix: gather each row's terms */
    size_t *count = ons_calloc(lp->nrows + 1, sizeof(size_t));
    for (size_t j = 0; j < lp->ncols; j++)
        for (int k = mx->start[j]; k < mx->start[j + 1]; k++) count[mx->index[k] + 1]++;
    for (size_t i = 0; i < lp->nrows; i++) count[i + 1] += count[i];
    size_t total = count[lp->nrows];
    uint32_t *cols = ons_calloc(total + 1, sizeof(uint32_t));
    double *vals = ons_calloc(total + 1, sizeof(double));
    size_t *fill = ons_calloc(lp->nrows + 1, sizeof(size_t));
    for (size_t j = 0; j < lp->ncols; j++)
        for (int k = mx->start[j]; k < mx->start[j + 1]; k++) {
            size_t i = (size_t)mx->index[k];
            cols[count[i] + fill[i]] = (uint32_t)j;
            vals[count[i] + fill[i]] = mx->value[k];
            fill[i]++;
        }
    for (size_t i = 0; i < lp->nrows; i++) {
        double lb = mx->rowlb[i], ub = mx->rowub[i];
        for (int side = 0; side < 2; side++) {
            bool eq = lb == ub;
            if (side == 1 && (eq || lb <= -INF || ub >= INF)) break;
            const char *op;
            double rhs;
            if (eq) op = "=", rhs = lb;
            else if (side == 0 && lb > -INF) op = ">=", rhs = lb;
            else op = "<=", rhs = ub;
            row_name(lp, i, name, sizeof name);
            out_printf(out, " %s%s:", name, side == 1 ? "_upper" : "");
            if (count[i] == count[i + 1]) out_puts(out, " 0 ");
            for (size_t k = count[i]; k < count[i + 1]; k++) {
                char cn[256];
                col_name(lp, cols[k], cn, sizeof cn);
                out_puts(out, vals[k] < 0 ? " - " : " + ");
                lp_number(out, fabs(vals[k]));
                out_printf(out, " %s", cn);
                if ((k - count[i]) % 4 == 3 && k + 1 < count[i + 1]) out_puts(out, "\n  ");
            }
            if (count[i] == count[i + 1]) {
                col_name(lp, 0, name, sizeof name);
                out_printf(out, "%s", name);
            }
            out_printf(out, " %s ", op);
            lp_number(out, rhs);
            out_putc(out, '\n');
        }
    }
    ons_free(count);
    ons_free(cols);
    ons_free(vals);
    ons_free(fill);
    out_puts(out, "Bounds\n");
    for (size_t j = 0; j < lp->ncols; j++) {
        if (mx->colub[j] >= INF) continue;
        col_name(lp, j, name, sizeof name);
        out_printf(out, " 0 <= %s <= ", name);
        lp_number(out, mx->colub[j]);
        out_putc(out, '\n');
    }
    bool any_int = false;
    for (size_t j = 0; j < lp->ncols; j++) {
        if (!lp->cols[j].integer) continue;
        if (!any_int) out_puts(out, "Generals\n");
        any_int = true;
        col_name(lp, j, name, sizeof name);
        out_printf(out, " %s\n", name);
    }
    out_puts(out, "End\n");
}

/* ---- solving ---- */

typedef struct Solution {
    double *x;                  /* [col] program units */
    double *dual;               /* [row] program units, NULL for a MIP without the fixed LP */
    bool optimal, infeasible, stopped_early;
    double gap;
} Solution;

static void solution_free(Solution *s)
{
    ons_free(s->x);
    ons_free(s->dual);
    memset(s, 0, sizeof *s);
}

static bool has_integers(const Lp *lp)
{
    for (size_t j = 0; j < lp->ncols; j++)
        if (lp->cols[j].integer) return true;
    return false;
}

static void copy_out(double **into, const double *from, size_t n)
{
    *into = ons_calloc(n + 1, sizeof(double));
    if (from) memcpy(*into, from, n * sizeof(double));
}

/* Solves the LP with the dual simplex; collb/colub may be changed (fixed builds). */
/* Solves the LP with the dual simplex; with keep, the solved model is kept
 * there (for a warm start), else deleted. */
static void solve_lp_keep(const Lp *lp, const Matrix *mx, Solution *sol, Clp_Simplex **keep)
{
    memset(sol, 0, sizeof *sol);
    Clp_Simplex *clp = coin->Clp_newModel();
    coin->Clp_setLogLevel(clp, 0);
    coin->Clp_loadProblem(clp, (int)lp->ncols, (int)lp->nrows, mx->start, mx->index, mx->value, mx->collb, mx->colub,
                    mx->obj, mx->rowlb, mx->rowub);
    coin->Clp_initialDualSolve(clp);
    int status = coin->Clp_status(clp);
    sol->optimal = status == 0;
    sol->infeasible = status == 1 || coin->Clp_isProvenPrimalInfeasible(clp);
    if (sol->optimal) {
        copy_out(&sol->x, coin->Clp_getColSolution(clp), lp->ncols);
        copy_out(&sol->dual, coin->Clp_getRowPrice(clp), lp->nrows);
    }
    if (keep) *keep = clp;
    else coin->Clp_deleteModel(clp);
}

static void solve_lp(const Lp *lp, const Matrix *mx, Solution *sol)
{
    solve_lp_keep(lp, mx, sol, NULL);
}

static void solve_mip(const Lp *lp, const Matrix *mx, double time_limit, Solution *sol)
{
    Cbc_Model *cbc = coin->Cbc_newModel();
    coin->Cbc_setLogLevel(cbc, 0);
    coin->Cbc_loadProblem(cbc, (int)lp->ncols, (int)lp->nrows, mx->start, mx->index, mx->value, mx->collb, mx->colub,
                    mx->obj, mx->rowlb, mx->rowub);
    for (size_t j = 0; j < lp->ncols; j++)
        if (lp->cols[j].integer) coin->Cbc_setInteger(cbc, (int)j);
    if (time_limit > 0) coin->Cbc_setMaximumSeconds(cbc, time_limit);
    coin->Cbc_setParameter(cbc, "threads", "1"); /* one thread: the same search on every machine */
    coin->Cbc_solve(cbc);
    sol->infeasible = coin->Cbc_isProvenInfeasible(cbc) != 0;
    sol->optimal = coin->Cbc_isProvenOptimal(cbc) != 0;
    const double *x = coin->Cbc_getColSolution(cbc);
    bool have = x && !sol->infeasible && coin->Cbc_bestSolution(cbc) != NULL;
    if (!sol->optimal && have && coin->Cbc_isSecondsLimitReached(cbc)) {
        sol->stopped_early = true;
        double best = coin->Cbc_getObjValue(cbc), bound = coin->Cbc_getBestPossibleObjValue(cbc);
        sol->gap = fabs(best) > 0 ? fabs(best - bound) / fabs(best) : 0;
        sol->optimal = true; /* the best plan found, reported with its gap */
    }
    if (have && sol->optimal) copy_out(&sol->x, coin->Cbc_bestSolution(cbc), lp->ncols);
    coin->Cbc_deleteModel(cbc);
}

/* Solves lp; for a MIP, solves again as an LP with the builds fixed at the
 * plan's, for the duals (spec 12). */
/* Solves the LP with the integer columns fixed at sol's values (a MIP's
 * builds), leaving the bounds as they were; a plain LP is solved as it is. */
static void solve_builds_fixed(const Lp *lp, Matrix *mx, const Solution *sol, Solution *out)
{
    double *lb = ons_calloc(lp->ncols + 1, sizeof(double)), *ub = ons_calloc(lp->ncols + 1, sizeof(double));
    memcpy(lb, mx->collb, lp->ncols * sizeof(double));
    memcpy(ub, mx->colub, lp->ncols * sizeof(double));
    for (size_t j = 0; j < lp->ncols; j++)
        if (lp->cols[j].integer) mx->collb[j] = mx->colub[j] = round(sol->x[j]);
    solve_lp(lp, mx, out);
    memcpy(mx->collb, lb, lp->ncols * sizeof(double));
    memcpy(mx->colub, ub, lp->ncols * sizeof(double));
    ons_free(lb);
    ons_free(ub);
}

static void solve(const Lp *lp, Matrix *mx, double time_limit, Solution *sol)
{
    memset(sol, 0, sizeof *sol);
    if (!has_integers(lp)) {
        solve_lp(lp, mx, sol);
        return;
    }
    solve_mip(lp, mx, time_limit, sol);
    if (!sol->optimal || !sol->x) {
        sol->optimal = false; /* no plan to report without its columns' values */
        return;
    }
    Solution fixed;
    solve_builds_fixed(lp, mx, sol, &fixed);
    if (fixed.optimal) {
        ons_free(sol->x);
        sol->x = fixed.x;
        sol->dual = fixed.dual;
        fixed.x = fixed.dual = NULL;
    }
    solution_free(&fixed);
}

/* The total of a solution, in $, from the columns' costs (so the parts add up). */
static double solution_cost(const Lp *lp, const Solution *sol, double part[4])
{
    double p[4] = {0, 0, 0, 0};
    for (size_t j = 0; j < lp->ncols; j++) {
        const Col *c = &lp->cols[j];
        double x = sol->x[j];
        switch ((enum ColKind)c->kind) {
        case COL_SHIP: p[0] += c->supply * x; p[1] += c->tariff * x; break;
        case COL_BUILD: p[2] += c->supply * x; break;
        case COL_SHORT: p[3] += c->supply * x; break;
        case COL_SLACK: break;
        }
    }
    if (part) memcpy(part, p, sizeof p);
    return p[0] + p[1] + p[2] + p[3];
}

/* A plan no shortage can rescue: find the rule and year (spec 12). */
static OnsStatus unmeetable(OnsVM *vm, OnsPlanInput *in)
{
    Lp lp;
    ONS_TRY(lp_make(vm, in, true, true, &lp));
    Matrix mx;
    matrix_make(&lp, &mx);
    Solution sol;
    solve_lp(&lp, &mx, &sol);
    OnsStatus st = ONS_OK;
    for (size_t j = 0; sol.optimal && j < lp.ncols && st == ONS_OK; j++) {
        const Col *c = &lp.cols[j];
        if (c->kind != COL_SLACK || sol.x[j] <= 1e-7) continue;
        const Row *row = &lp.rows[c->a];
        const OnsPlanRule *pr = &in->rules[row->a];
        st = vm_error_at(vm, pr->rule->src, pr->rule->span,
                         "no plan can meet this rule in %d (require rule %u of policy %s): even every local "
                         "facility and option at full use falls short",
                         in->year_from + (int32_t)row->y, pr->number, in->m->policies[pr->policy].e.name->chars);
    }
    if (st == ONS_OK) st = vm_error(vm, "the plan of scenario %s has no solution (the solver found the program "
                                        "infeasible)", in->scenario);
    solution_free(&sol);
    matrix_free(&mx);
    lp_free(&lp);
    return st;
}

static void outcome_from(const Lp *lp, const Solution *sol, OnsPlanOutcome *out)
{
    OnsPlanInput *in = lp->in;
    uint32_t Y = in->nyears;
    /* builds */
    out->built = ons_calloc((size_t)out->noptions * Y + 1, sizeof(double));
    out->online = ons_calloc((size_t)out->noptions * Y + 1, sizeof(double));
    out->online_year = ons_calloc((size_t)out->noptions * Y + 1, sizeof(int32_t));
    out->capex_paid = ons_calloc((size_t)out->noptions * Y + 1, sizeof(double));
    out->discount = in->discount;
    for (uint32_t k = 0; k < out->noptions; k++) {
        uint32_t f = out->options[k];
        for (uint32_t y = 0; y < Y; y++) {
            int64_t b = lp->build_col[(size_t)f * Y + y];
            if (b < 0) continue;
            double v = sol->x[b] * lp->cols[b].scale;
            if (lp->cols[b].integer) v = round(sol->x[b]) * lp->cols[b].scale;
            out->built[(size_t)k * Y + y] = v > 0 ? v : 0;
        }
        for (uint32_t y = 0; y < Y; y++) {
            double q = in->qualify[YF(in, y, f)], sum = 0;
            for (uint32_t d = 0; d <= y; d++) {
                if ((double)d + in->lead[f] + q > (double)y + 1e-9) continue;
                sum += out->built[(size_t)k * Y + d];
                if (!out->online_year[(size_t)k * Y + d]) out->online_year[(size_t)k * Y + d] = in->year_from + (int32_t)y;
            }
            out->online[(size_t)k * Y + y] = sum;
            out->capex_paid[(size_t)k * Y + y] = out->built[(size_t)k * Y + y] * in->capex[YF(in, y, f)];
        }
    }
    /* shipments: below 1e-9 of the largest are zero */
    double largest = 0;
    for (size_t j = 0; j < lp->ncols; j++)
        if (lp->cols[j].kind == COL_SHIP && sol->x[j] * lp->cols[j].scale > largest) largest = sol->x[j] * lp->cols[j].scale;
    out->ship_at = ons_calloc((size_t)Y * in->nfac + 2, sizeof(size_t));
    out->ships = ons_calloc(lp->ncols + 1, sizeof(OnsPlanShip));
    size_t n = 0;
    for (uint32_t y = 0; y < Y; y++)
        for (uint32_t f = 0; f < in->nfac; f++) {
            out->ship_at[YF(in, y, f)] = n;
            uint32_t first, end;
            if (!ships_of(lp, y, f, &first, &end)) continue;
            for (uint32_t j = first; j < end; j++) {
                double v = sol->x[j] * lp->cols[j].scale;
                if (v <= 1e-9 * largest) continue;
                out->ships[n++] = (OnsPlanShip){f, lp->cols[j].b, v};
            }
        }
    out->ship_at[(size_t)Y * in->nfac] = n;
    out->nships = n;
    /* cost by kind */
    double part[4];
    out->cost_total = solution_cost(lp, sol, part);
    out->cost_supply = part[0];
    out->cost_tariffs = part[1];
    out->cost_capex = part[2];
    out->cost_shortage = part[3];
    out->shadow = ons_calloc((size_t)in->nrules * Y + 1, sizeof(double));
    for (size_t k = 0; k < (size_t)in->nrules * Y; k++)
        out->shadow[k] = isnan(in->rules[k / Y].target[k % Y]) ? NAN : 0;
    if (!sol->dual) return;
    /* a rule's shadow price: |dual| x what its target multiplies, x 1% */
    double *den = ons_calloc(lp->nrows + 1, sizeof(double));
    for (size_t k = 0; k < lp->nden; k++)
        den[lp->denom[k].row] += lp->denom[k].v * sol->x[lp->denom[k].col] * lp->cols[lp->denom[k].col].scale;
    for (size_t i = 0; i < lp->nrows; i++) {
        const Row *r = &lp->rows[i];
        if (r->kind != ROW_RULE) continue;
        double dual = sol->dual[i] / r->scale * OBJ_UNIT; /* $ (discounted) per base unit of the row */
        double d = fabs(dual) * (den[i] + r->denom_const) * 0.01;
        if (d < 1e-9 * (fabs(out->cost_total) > 1 ? fabs(out->cost_total) : 1)) d = 0;
        out->shadow[(size_t)r->a * Y + r->y] += d;
    }
    ons_free(den);
}

/* What one more unit demanded at balance row `at` ([y][m][r]) costs, in
 * that year's money per base unit: the program solved again with the demand
 * raised a little (and a mixed-integer plan's builds fixed).  A dual says the
 * same where the solution is not degenerate; where it is (nothing shipped,
 * say), the dual may be any value in a range, the re-solve only the right one. */
static double probe(const Lp *lp, Matrix *mx, const Solution *sol, int64_t at, double cost)
{
    const OnsPlanInput *in = lp->in;
    int64_t i = lp->balance_row[at];
    if (i < 0) return NAN;
    double rhs = mx->rowlb[i], delta = fabs(rhs) > 1000 ? 1e-3 * fabs(rhs) : 1; /* at least one declared unit */
    mx->rowlb[i] = mx->rowub[i] = rhs + delta;
    Solution more;
    solve_builds_fixed(lp, mx, sol, &more);
    mx->rowlb[i] = mx->rowub[i] = rhs;
    double v = NAN;
    if (more.optimal) {
        const Row *r = &lp->rows[i];
        v = (solution_cost(lp, &more, NULL) - cost) / (delta * r->scale) / discount_factor(in, r->y);
    }
    solution_free(&more);
    return v;
}

OnsStatus plan_solve(OnsVM *vm, OnsPlanInput *in, OnsPlanOutcome *out, OnsOut *lp_text)
{
    const char *why;
    coin = coin_load(&why);
    if (!coin) return vm_error(vm, "%s", why);
    Lp lp;
    ONS_TRY(lp_make(vm, in, true, false, &lp));
    Matrix mx;
    matrix_make(&lp, &mx);
    if (lp_text) write_lp(&lp, &mx, lp_text);
    out->mip = has_integers(&lp);
    out->ncols = (uint32_t)lp.ncols;
    out->nrows = (uint32_t)lp.nrows;
    if (lp.ncols == 0) { /* no region needs anything: an empty plan, at no cost */
        Solution none;
        memset(&none, 0, sizeof none);
        outcome_from(&lp, &none, out);
        out->probe_marginal = NAN;
        matrix_free(&mx);
        lp_free(&lp);
        return ONS_OK;
    }
    Solution sol;
    Clp_Simplex *warm = NULL; /* an LP's solved model, for the solve without rules */
    if (out->mip) solve(&lp, &mx, in->time_limit, &sol);
    else solve_lp_keep(&lp, &mx, &sol, in->nrules > 0 ? &warm : NULL);
    OnsStatus st = ONS_OK;
    if (!sol.optimal) {
        bool infeasible = sol.infeasible;
        if (warm) coin->Clp_deleteModel(warm);
        solution_free(&sol);
        matrix_free(&mx);
        lp_free(&lp);
        if (infeasible && in->nrules > 0) return unmeetable(vm, in);
        return vm_error(vm, "the solver could not solve the plan of scenario %s%s", in->scenario,
                        in->time_limit > 0 ? " within its time limit (no plan found yet: raise time_limit)" : "");
    }
    out->stopped_early = sol.stopped_early;
    out->gap = sol.gap;
    outcome_from(&lp, &sol, out);
    out->probe_marginal = in->probe >= 0 ? probe(&lp, &mx, &sol, in->probe, out->cost_total) : NAN;
    solution_free(&sol);
    out->compliance = 0;
    if (warm) {
        /* the cost of compliance: the same program without the enforced
         * rules, which are its last rows; from the plan's basis, whose
         * solution stays feasible when rows go, the primal simplex is quick */
        int first = (int)lp.nrows;
        while (first > 0 && lp.rows[first - 1].kind == ROW_RULE) first--;
        int n = (int)lp.nrows - first;
        int *which = ons_calloc((size_t)n + 1, sizeof(int));
        for (int k = 0; k < n; k++) which[k] = first + k;
        coin->Clp_deleteRows(warm, n, which);
        ons_free(which);
        coin->Clp_primal(warm, 0);
        Solution free_sol;
        memset(&free_sol, 0, sizeof free_sol);
        free_sol.optimal = coin->Clp_status(warm) == 0;
        if (free_sol.optimal) {
            copy_out(&free_sol.x, coin->Clp_getColSolution(warm), lp.ncols);
            out->compliance = out->cost_total - solution_cost(&lp, &free_sol, NULL);
        } else {
            st = vm_error(vm, "the plan of scenario %s without its enforced rules could not be solved", in->scenario);
        }
        solution_free(&free_sol);
        coin->Clp_deleteModel(warm);
        matrix_free(&mx);
        lp_free(&lp);
        return st;
    }
    matrix_free(&mx);
    lp_free(&lp);
    /* a mixed-integer plan: the program without the rules, solved anew */
    if (in->nrules > 0 && st == ONS_OK) {
        st = lp_make(vm, in, false, false, &lp);
        if (st != ONS_OK) return st;
        matrix_make(&lp, &mx);
        solve(&lp, &mx, in->time_limit, &sol);
        if (sol.optimal) out->compliance = out->cost_total - solution_cost(&lp, &sol, NULL);
        else st = vm_error(vm, "the plan of scenario %s without its enforced rules could not be solved", in->scenario);
        solution_free(&sol);
        matrix_free(&mx);
        lp_free(&lp);
    }
    return st;
}

void plan_outcome_free(OnsPlanOutcome *o)
{
    if (!o) return;
    ons_free(o->options);
    ons_free(o->built);
    ons_free(o->online);
    ons_free(o->online_year);
    ons_free(o->capex_paid);
    ons_free(o->ships);
    ons_free(o->ship_at);
    ons_free(o->shadow);
    for (uint32_t k = 0; k < o->nrules; k++) ons_free(o->rules[k].target);
    ons_free(o->rules);
    memset(o, 0, sizeof *o);
}

void plan_input_free(OnsPlanInput *in)
{
    ons_free(in->active);
    ons_free(in->cap);
    ons_free(in->util);
    ons_free(in->qualify);
    ons_free(in->net);
    ons_free(in->capex);
    ons_free(in->recycled);
    ons_free(in->recipe_at);
    ons_free(in->recipe_input);
    ons_free(in->recipe_amount);
    ons_free(in->price);
    ons_free(in->lane);
    ons_free(in->adv);
    ons_free(in->per_unit);
    ons_free(in->ban);
    ons_free(in->demand);
    ons_free(in->lead);
    ons_free(in->max);
    ons_free(in->size);
    ons_free(in->from);
    ons_free(in->quota_mat);
    ons_free(in->quota_from);
    ons_free(in->quota_to);
    ons_free(in->quota_cap);
    /* the rules (and their targets) pass to the outcome */
    memset(in, 0, sizeof *in);
}
