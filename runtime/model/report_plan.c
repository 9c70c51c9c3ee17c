/* `report plan for R` (spec 12): what a planned run decided for a region --
 * its builds -- and what the whole plan costs, by kind, what each enforced
 * rule of the region costs at the margin (its shadow price), and what
 * meeting the enforced rules costs altogether. */
#include "plan.h"
#include "report_shared.h"
#include "table.h"

#include <math.h>
#include <stdio.h>

static void money_row(OnsTable *t, const char *part, const char *item, double v)
{
    table_row(t, NULL);
    table_text(t, part);
    table_text(t, item);
    table_empty(t);
    table_empty(t);
    table_empty(t);
    table_empty(t);
    table_amount(t, v, dim_base(ONS_DIM_MONEY));
}

static bool year_asked(const int32_t *years, size_t ny, int32_t y)
{
    for (size_t i = 0; i < ny; i++)
        if (years[i] == y) return true;
    return false;
}

OnsStatus report_plan(OnsVM *vm, const OnsReportSpec *spec, OnsRun *run, const int32_t *years, size_t ny,
                      OnsTable *t)
{
    OnsModel *m = model_of(vm);
    const OnsPlanOutcome *p = run->plan;
    const char *rname = model_name(m, ONS_ENT_REGION, spec->region);
    if (!p)
        return vm_error(vm, "report plan: scenario %s has no plan (give it `plan { options: [...] }`)",
                        model_name(m, ONS_ENT_SCENARIO, run->scenario));
    char title[256], header[512];
    snprintf(title, sizeof title, "plan for %s", rname);
    report_header_line(vm, run, header, sizeof header);
    table_init(t, header, title);
    table_col(t, "part", "part", false);
    table_col(t, "item", "item", false);
    table_col(t, "decided", "decided", true);
    table_col(t, "online", "online", true);
    table_col(t, "capacity", "capacity", true);
    table_col(t, "year", "year", true);
    table_col(t, "money", "money", true);
    OnsDim time = dim_base(ONS_DIM_TIME);
    int builds = 0;
    for (uint32_t k = 0; k < p->noptions; k++) {
        const OnsFacility *fa = &m->facilities[p->options[k]];
        if (fa->region != spec->region) continue;
        const OnsMaterial *mat = &m->materials[fa->makes];
        OnsDim rate;
        dim_div(mat->unit_dim, time, &rate);
        for (uint32_t y = 0; y < run->nyears; y++) {
            double b = p->built[(size_t)k * run->nyears + y];
            int32_t year = run->year_from + (int32_t)y;
            if (!(b > 0) || !year_asked(years, ny, year)) continue;
            builds++;
            char per_year[64]; /* the capacity column is a rate: the unit column says so */
            snprintf(per_year, sizeof per_year, "%s/yr", mat->unit);
            table_row(t, per_year);
            table_text(t, "build");
            table_text(t, fa->e.name->chars);
            table_number(t, year, 0);
            int32_t online = p->online_year[(size_t)k * run->nyears + y];
            if (online) table_number(t, online, 0);
            else table_text(t, "later");
            table_amount(t, b, rate);
            table_empty(t);
            table_amount(t, p->capex_paid[(size_t)k * run->nyears + y], dim_base(ONS_DIM_MONEY));
        }
    }
    money_row(t, "cost", "supply", p->cost_supply);
    money_row(t, "cost", "tariffs", p->cost_tariffs);
    money_row(t, "cost", "capex", p->cost_capex);
    money_row(t, "cost", "shortage", p->cost_shortage);
    money_row(t, "cost", "total", p->cost_total);
    int rules = 0;
    for (uint32_t k = 0; k < p->nrules; k++) {
        const OnsPlanRule *r = &p->rules[k];
        if (r->rule->region != spec->region) continue;
        rules++;
        char text[400], item[512];
        report_rule_text(m, r->rule, text, sizeof text);
        snprintf(item, sizeof item, "%s rule %u: %s", m->policies[r->policy].e.name->chars, r->number, text);
        for (uint32_t y = 0; y < run->nyears; y++) {
            double v = p->shadow[(size_t)k * run->nyears + y];
            int32_t year = run->year_from + (int32_t)y;
            if (isnan(v) || !year_asked(years, ny, year)) continue;
            table_row(t, NULL);
            table_text(t, "shadow price");
            table_text(t, item);
            table_empty(t);
            table_empty(t);
            table_empty(t);
            table_number(t, year, 0);
            table_amount(t, v, dim_base(ONS_DIM_MONEY));
        }
    }
    money_row(t, "compliance", "cost of compliance", p->compliance);
    if (builds == 0) table_note(t, "the plan builds nothing in %s in the years asked", rname);
    table_note(t, "money is discounted to %d at %g%% a year, but capex is in its year's money", run->year_from,
               p->discount * 100);
    if (rules > 0)
        table_note(t, "a shadow price is what relaxing the rule's target by one point would save (discounted)");
    if (p->stopped_early)
        table_note(t, "the search stopped at its time limit: the plan may cost up to %.2f%% more than the best",
                   p->gap * 100);
    return ONS_OK;
}
