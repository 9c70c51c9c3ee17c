/* Params (spec 11): distributions, their nominal values, and draws defined to
 * the bit, so sample i is the same on every machine, for any number of cores
 * or shards.  SplitMix64's finaliser makes the uniform u of (seed, sample,
 * param); the mappings are the spec's, the normal's inverse CDF is Wichura's
 * AS 241 (PPND16). */
#include "model.h"
#include "mem.h"

#include <math.h>
#include <string.h>

void model_dist_free(OnsDist *d)
{
    ons_free(d->values);
    ons_free(d->probs);
    d->values = d->probs = NULL;
    d->n = 0;
}

static uint64_t mix(uint64_t z)
{
    z += 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

double model_draw_u(uint64_t seed, uint64_t sample, uint64_t param)
{
    uint64_t z = mix(mix(mix(seed) ^ sample) ^ param);
    return (double)(z >> 11) * 0x1.0p-53;
}

/* Wichura's AS 241 (PPND16): the normal quantile of p, 0 < p < 1, to about
 * 1e-16 relative. */
double model_normal_quantile(double p)
{
    double q = p - 0.5, r, x;
    if (fabs(q) <= 0.425) {
        r = 0.180625 - q * q;
        return q * (((((((r * 2509.0809287301226727 + 33430.575583588128105) * r + 67265.770927008700853) * r +
                         45921.953931549871457) * r + 13731.693765509461125) * r + 1971.5909503065514427) * r +
                      133.14166789178437745) * r + 3.387132872796366608) /
               (((((((r * 5226.495278852545925 + 28729.085735721942674) * r + 39307.89580009271061) * r +
                    21213.794301586595867) * r + 5394.1960214247511077) * r + 687.1870074920579083) * r +
                 42.313330701600911252) * r + 1.0);
    }
    r = q < 0 ? p : 1 - p;
    r = sqrt(-log(r));
    if (r <= 5.0) {
        r -= 1.6;
        x = (((((((r * 7.7454501427834140764e-4 + 0.0227238449892691845833) * r + 0.24178072517745061177) * r +
                 1.27045825245236838258) * r + 3.64784832476320460504) * r + 5.7694972214606914055) * r +
              4.6303378461565452959) * r + 1.42343711074968357734) /
            (((((((r * 1.05075007164441684324e-9 + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r +
                 0.14810397642748007459) * r + 0.68976733498510000455) * r + 1.6763848301838038494) * r +
              2.05319162663775882187) * r + 1.0);
    } else {
        r -= 5.0;
        x = (((((((r * 2.01033439929228813265e-7 + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r +
                 0.026532189526576123093) * r + 0.29656057182850489123) * r + 1.7848265399172913358) * r +
              5.4637849111641143699) * r + 6.6579046435011037772) /
            (((((((r * 2.04426310338993978564e-15 + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r +
                 7.868691311456132591e-4) * r + 0.0148753612908506148525) * r + 0.13692988092273580531) * r +
              0.59983220655588793769) * r + 1.0);
    }
    return q < 0 ? -x : x;
}

double model_dist_map(const OnsDist *d, double u)
{
    switch ((OnsDistKind)d->kind) {
    case ONS_DIST_FIXED: return d->a;
    case ONS_DIST_UNIFORM: return d->a + (d->b - d->a) * u;
    case ONS_DIST_TRIANGULAR: {
        double low = d->a, mode = d->b, high = d->c, c = (mode - low) / (high - low);
        return u < c ? low + sqrt(u * (high - low) * (mode - low)) : high - sqrt((1 - u) * (high - low) * (high - mode));
    }
    case ONS_DIST_NORMAL:
    case ONS_DIST_LOGNORMAL: {
        double z = model_normal_quantile(u > 0x1.0p-54 ? u : 0x1.0p-54);
        return d->kind == ONS_DIST_NORMAL ? d->a + d->b * z : d->a * exp(d->b * z);
    }
    case ONS_DIST_CHOICE: {
        double sum = 0;
        for (uint32_t i = 0; i < d->n; i++) {
            sum += d->probs[i];
            if (sum > u) return d->values[i];
        }
        return d->n ? d->values[d->n - 1] : 0;
    }
    }
    return 0;
}

double model_dist_nominal(const OnsDist *d)
{
    switch ((OnsDistKind)d->kind) {
    case ONS_DIST_FIXED: return d->a;
    case ONS_DIST_UNIFORM: return (d->a + d->b) / 2;
    case ONS_DIST_TRIANGULAR: return d->b;
    case ONS_DIST_NORMAL: return d->a;
    case ONS_DIST_LOGNORMAL: return d->a;
    case ONS_DIST_CHOICE: {
        uint32_t best = 0; /* the first of equal probabilities, compared exactly */
        for (uint32_t i = 1; i < d->n; i++)
            if (d->probs[i] > d->probs[best]) best = i;
        return d->n ? d->values[best] : 0;
    }
    }
    return 0;
}

bool model_dist_has_spread(const OnsDist *d)
{
    switch ((OnsDistKind)d->kind) {
    case ONS_DIST_FIXED: return false;
    case ONS_DIST_UNIFORM: return d->b > d->a;
    case ONS_DIST_TRIANGULAR: return d->c > d->a;
    case ONS_DIST_NORMAL:
    case ONS_DIST_LOGNORMAL: return d->b > 0;
    case ONS_DIST_CHOICE: {
        for (uint32_t i = 1; i < d->n; i++)
            if (d->values[i] != d->values[0] && d->probs[i] > 0) return true;
        return false;
    }
    }
    return false;
}

const OnsDist *model_param_dist(const OnsModel *m, uint32_t scenario, uint32_t param)
{
    /* the nearest scenario up the chain that replaces or fixes it */
    int depth = 0;
    for (int32_t cur = (int32_t)scenario; cur >= 0 && (uint32_t)cur < m->nscenarios && depth < 1024;
         cur = m->scenarios[cur].parent, depth++) {
        const OnsScenario *sc = &m->scenarios[cur];
        for (uint32_t i = 0; i < sc->nparams; i++)
            if (sc->params[i].param == param) return &sc->params[i].dist;
    }
    return &m->params[param].dist;
}
