/* COIN-OR Clp and Cbc, the solvers of plans (spec 12), loaded with dlopen
 * when the first plan is solved.  Linking them into onshore costs every
 * start of the program ~18 ms (their C++ and BLAS libraries initialise),
 * four times the rest of its start-up; a program that plans nothing should
 * not pay it.  The headers give the types and the function signatures. */
#ifndef ONS_RUNTIME_COIN_H
#define ONS_RUNTIME_COIN_H

#include <Cbc_C_Interface.h>
#include <Clp_C_Interface.h>

#define ONS_COIN_FUNCTIONS(X)                                                                                      \
    X(Clp_newModel) X(Clp_setLogLevel) X(Clp_loadProblem) X(Clp_initialDualSolve) X(Clp_status)                     \
    X(Clp_isProvenPrimalInfeasible) X(Clp_getColSolution) X(Clp_getRowPrice) X(Clp_deleteModel) X(Clp_deleteRows)   \
    X(Clp_primal) X(Cbc_newModel) X(Cbc_setLogLevel) X(Cbc_loadProblem) X(Cbc_setInteger)            \
    X(Cbc_setMaximumSeconds) X(Cbc_setParameter) X(Cbc_solve) X(Cbc_isProvenInfeasible) X(Cbc_isProvenOptimal)      \
    X(Cbc_getColSolution) X(Cbc_bestSolution) X(Cbc_isSecondsLimitReached) X(Cbc_getObjValue)                       \
    X(Cbc_getBestPossibleObjValue) X(Cbc_deleteModel)

typedef struct OnsCoin {
#define ONS_COIN_POINTER(f) __typeof__(f) *f; /* NOLINT(bugprone-macro-parentheses): f names a member */
    ONS_COIN_FUNCTIONS(ONS_COIN_POINTER)
#undef ONS_COIN_POINTER
} OnsCoin;

/* The solvers' functions, loaded once; NULL, with *why saying what is
 * missing, when the libraries cannot be loaded. */
const OnsCoin *coin_load(const char **why);

#endif
