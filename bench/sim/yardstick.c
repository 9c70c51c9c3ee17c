/* The yardstick of the simulation benchmark: the allocation of spec §6 as a
 * plain C loop over the data of model.txt (written by gen_model.py), with
 * no language around it: linear capacities, utilization, local first pro
 * rata, imports by sorting every (facility, region) pair by landed cost,
 * lanes (specific, then the default), a 10% tariff on cells from R0,
 * derived demand through `needs`.  It prints the figures model.ons prints,
 * so the two can be compared as well as timed.
 * Usage: yardstick model.txt */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct { int stage; double price; int need; double per; } Mat;
typedef struct { int region, mat; double cap0, cap1, util, cost; int qualify; } Fac;
typedef struct { int region, mat; double d0, d1; } Dem;
typedef struct { double landed, tariff; int f, r; } Pair;

static int pair_order(const void *a, const void *b)
{
    const Pair *x = a, *y = b;
    if (x->landed != y->landed) return x->landed < y->landed ? -1 : 1;
    if (x->f != y->f) return x->f < y->f ? -1 : 1;
    return (x->r > y->r) - (x->r < y->r);
}

static double linear(double y, double y0, double v0, double y1, double v1)
{
    if (y <= y0) return v0;
    if (y >= y1) return v1;
    return v0 + (v1 - v0) * (y - y0) / (y1 - y0);
}

int main(int argc, char **argv)
{
    FILE *in = fopen(argc > 1 ? argv[1] : "model.txt", "r");
    if (!in) { perror("model.txt"); return 2; }
    int Y0, Y1, R, M, F, D;
    if (fscanf(in, "%d %d %d %d %d %d", &Y0, &Y1, &R, &M, &F, &D) != 6) return 2;
    Mat *mat = calloc((size_t)M, sizeof *mat);
    Fac *fac = calloc((size_t)F, sizeof *fac);
    Dem *dem = calloc((size_t)D, sizeof *dem);
    for (int i = 0; i < M; i++)
        if (fscanf(in, "%d %lf %d %lf", &mat[i].stage, &mat[i].price, &mat[i].need, &mat[i].per) != 4) return 2;
    for (int i = 0; i < F; i++)
        if (fscanf(in, "%d %d %lf %lf %lf %lf %d", &fac[i].region, &fac[i].mat, &fac[i].cap0, &fac[i].cap1,
                   &fac[i].util, &fac[i].cost, &fac[i].qualify) != 7) return 2;
    for (int i = 0; i < D; i++)
        if (fscanf(in, "%d %d %lf %lf", &dem[i].region, &dem[i].mat, &dem[i].d0, &dem[i].d1) != 4) return 2;
    fclose(in);

    int NY = Y1 - Y0 + 1;
    double *demand = calloc((size_t)M * R, sizeof(double));      /* this year */
    double *eff = calloc((size_t)F, sizeof(double)), *remcap = calloc((size_t)F, sizeof(double));
    double *rem = calloc((size_t)R, sizeof(double)), *local = calloc((size_t)R, sizeof(double));
    double *out = calloc((size_t)F, sizeof(double));
    double *lane = calloc((size_t)R * R, sizeof(double));
    double *shortage = calloc((size_t)NY * M * R, sizeof(double));
    double *imported = calloc((size_t)NY * M * R, sizeof(double));
    double *localgot = calloc((size_t)NY * M * R, sizeof(double));
    double *demrec = calloc((size_t)NY * M * R, sizeof(double));
    Pair *pairs = malloc((size_t)F * R * sizeof(Pair));
    for (int o = 0; o < R; o++)
        for (int d = 0; d < R; d++) lane[o * R + d] = o == d ? 0 : d == (o + 1) % R ? 0.02 : 0.05;

    for (int y = Y0; y <= Y1; y++) {
        int yi = y - Y0;
        for (int f = 0; f < F; f++) { eff[f] = linear(y, 2024, fac[f].cap0, 2040, fac[f].cap1) * fac[f].util; out[f] = 0; }
        memset(demand, 0, (size_t)M * R * sizeof(double));
        for (int i = 0; i < D; i++) demand[dem[i].mat * R + dem[i].region] += linear(y, 2024, dem[i].d0, 2060, dem[i].d1);
        for (int st = 3; st >= 0; st--) {
            for (int m = 0; m < M; m++) {
                if (mat[m].stage != st) continue;
                memset(local, 0, (size_t)R * sizeof(double));
                for (int r = 0; r < R; r++) rem[r] = demand[m * R + r];
                for (int f = 0; f < F; f++) if (fac[f].mat == m) { remcap[f] = eff[f]; local[fac[f].region] += eff[f]; }
                for (int f = 0; f < F; f++) {             /* local first, pro rata */
                    if (fac[f].mat != m) continue;
                    int r = fac[f].region;
                    double dm = demand[m * R + r], l = local[r];
                    if (dm <= 0 || eff[f] <= 0) continue;
                    double a = dm >= l ? eff[f] : dm * (eff[f] / l);
                    out[f] += a;
                    localgot[(yi * M + m) * R + r] += a;
                    remcap[f] = dm >= l ? 0 : eff[f] - a;
                }
                for (int r = 0; r < R; r++) {
                    double dm = demand[m * R + r];
                    if (dm > 0 && local[r] > 0) rem[r] = dm >= local[r] ? dm - local[r] : 0;
                }
                size_t np = 0;                            /* imports by landed cost */
                for (int f = 0; f < F; f++) {
                    if (fac[f].mat != m || remcap[f] <= 0) continue;
                    int o = fac[f].region;
                    for (int r = 0; r < R; r++) {
                        if (rem[r] <= 0) continue;
                        double adv = (st == 3 && o == 0 && r != 0) ? 0.10 : 0;
                        double tariff = o == r ? 0 : adv * fac[f].cost;
                        double ln = o == r ? 0 : lane[o * R + r];
                        pairs[np++] = (Pair){fac[f].cost * (1 + ln) + tariff, tariff, f, r};
                    }
                }
                qsort(pairs, np, sizeof(Pair), pair_order);
                for (size_t i = 0; i < np; i++) {
                    Pair *p = &pairs[i];
                    double a = rem[p->r] < remcap[p->f] ? rem[p->r] : remcap[p->f];
                    if (a <= 0) continue;
                    rem[p->r] -= a;
                    remcap[p->f] -= a;
                    out[p->f] += a;
                    if (fac[p->f].region == p->r) localgot[(yi * M + m) * R + p->r] += a;
                    else imported[(yi * M + m) * R + p->r] += a;
                }
                for (int r = 0; r < R; r++) {
                    double left = rem[r];
                    if (fabs(left) <= 1e-9 * (demand[m * R + r] > 1 ? demand[m * R + r] : 1)) left = 0;
                    shortage[(yi * M + m) * R + r] = left;
                    demrec[(yi * M + m) * R + r] = demand[m * R + r];
                }
                if (mat[m].need >= 0)                     /* derived demand upstream */
                    for (int f = 0; f < F; f++)
                        if (fac[f].mat == m) demand[mat[m].need * R + fac[f].region] += out[f] * mat[m].per;
            }
        }
    }
    int yl = Y1 - Y0;
    double short_mining = 0, imp_refining = 0, loc = 0, dm = 0;
    for (int r = 0; r < R; r++)
        for (int m = 0; m < M; m++) {
            if (mat[m].stage == 0) short_mining += shortage[(yl * M + m) * R + r];
            if (mat[m].stage == 1) imp_refining += imported[(yl * M + m) * R + r];
            if (mat[m].stage == 3 && r == 3) { loc += localgot[(yl * M + m) * R + r]; dm += demrec[(yl * M + m) * R + r]; }
        }
    printf("mining shortage 2060: %.0f t\n", short_mining);
    printf("refining imports 2060: %.0f t\n", imp_refining);
    printf("cell localization R3 2060: %.2f%%\n", dm > 0 ? loc / dm * 100 : 0);
    return 0;
}
