/* Reports (spec §7). */
#include "report.h"
#include "mem.h"

#include <string.h>

static void spec_free(void *p)
{
    OnsReportSpec *s = p;
    model_free_selector(&s->sel);
    ons_free(s->scenarios);
    ons_free(s);
}

static const OnsDataClass spec_class = {"report", NULL, spec_free, NULL, NULL};

OnsValue report_spec_value(OnsVM *vm, OnsReportSpec *spec)
{
    return ons_obj_value(&data_new(vm, &spec_class, spec)->obj);
}

const char *report_format_name(OnsFormat f)
{
    switch (f) {
    case ONS_FMT_CSV: return "csv";
    case ONS_FMT_JSON: return "json";
    case ONS_FMT_MARKDOWN: return "markdown";
    default: return "table";
    }
}

OnsFormat report_format_parse(const char *name)
{
    if (strcmp(name, "table") == 0) return ONS_FMT_TABLE;
    if (strcmp(name, "csv") == 0) return ONS_FMT_CSV;
    if (strcmp(name, "json") == 0) return ONS_FMT_JSON;
    if (strcmp(name, "markdown") == 0 || strcmp(name, "md") == 0) return ONS_FMT_MARKDOWN;
    return ONS_FMT_DEFAULT;
}

OnsStatus report_execute(OnsVM *vm, OnsValue spec, OnsValue years, OnsValue file)
{
    (void)spec;
    (void)years;
    (void)file;
    return vm_error(vm, "reports are not implemented yet");
}

OnsStatus report_explain(OnsVM *vm, OnsValue spec, OnsValue year)
{
    (void)spec;
    (void)year;
    return vm_error(vm, "explain is not implemented yet");
}
