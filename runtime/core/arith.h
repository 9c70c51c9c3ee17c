/* The arithmetic and comparison of the language outside the VM's fast paths:
 * dimension checks, percent hints, series evaluated at `year`, string
 * concatenation, and the messages for what does not combine. */
#ifndef ONS_RUNTIME_ARITH_H
#define ONS_RUNTIME_ARITH_H

#include "chunk.h"
#include "vm.h"

/* op is one of OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD, OP_POW. */
OnsStatus arith_binary(OnsVM *vm, OnsOpcode op, OnsValue a, OnsValue b, OnsValue *out);
OnsStatus arith_negate(OnsVM *vm, OnsValue a, OnsValue *out);
/* op is OP_EQ, OP_NE, OP_LT or OP_LE. */
OnsStatus arith_compare(OnsVM *vm, OnsOpcode op, OnsValue a, OnsValue b, bool *out);

/* "kt (mass)", "a plain number", "a string": how an operand is named in messages. */
const char *arith_describe(OnsVM *vm, OnsValue v, char *buf, size_t n);

#endif
