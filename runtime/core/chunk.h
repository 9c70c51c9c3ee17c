/* Instruction encoding, the opcode enum (from opcodes.def), emitting code
 * into a proto, and the disassembler.
 *
 * Instructions are 32-bit words, opcode in the low byte:
 *   ABC   op:8 A:8 B:8 C:8        ABx/AsBx  op:8 A:8 Bx:16 (sBx = Bx - 32767)
 *   sJ    op:8 sJ:24 (sJ = field - 0x7fffff)      Ax  op:8 Ax:24
 * A register-based design (Lua's): operands name registers directly, so an
 * expression like `a + b` is one instruction, not three pushes and an add. */
#ifndef ONS_RUNTIME_CHUNK_H
#define ONS_RUNTIME_CHUNK_H

#include "object.h"
#include "output.h"

typedef enum OnsOpcode {
#define OP(name, fmt, doc) OP_##name,
#include "opcodes.def"
#undef OP
    OP__COUNT
} OnsOpcode;

typedef enum OnsOpFormat { FMT_A, FMT_AB, FMT_ABC, FMT_ABx, FMT_AsBx, FMT_sJ, FMT_Ax } OnsOpFormat;

#define INS_OP(i) ((OnsOpcode)((i) & 0xffu))
#define INS_A(i) (((i) >> 8) & 0xffu)
#define INS_B(i) (((i) >> 16) & 0xffu)
#define INS_C(i) (((i) >> 24) & 0xffu)
#define INS_Bx(i) ((i) >> 16)
#define INS_sBx(i) ((int32_t)INS_Bx(i) - 32767)
#define INS_sJ(i) ((int32_t)((i) >> 8) - 0x7fffff)
#define INS_Ax(i) ((i) >> 8)

#define ONS_MAX_Bx 0xffffu
#define ONS_MAX_sBx 32767
#define ONS_MAX_sJ 0x7fffff
#define ONS_MAX_Ax 0xffffffu
#define ONS_MAX_REGS 250
/* Arguments of one call: well under ONS_MAX_REGS, so the limit a caller meets
 * is this one, with its own message. */
#define ONS_MAX_ARGS 200

static inline uint32_t ins_abc(OnsOpcode op, unsigned a, unsigned b, unsigned c)
{
    return (uint32_t)op | (a << 8) | (b << 16) | ((uint32_t)c << 24);
}
static inline uint32_t ins_abx(OnsOpcode op, unsigned a, unsigned bx)
{
    return (uint32_t)op | (a << 8) | (bx << 16);
}
static inline uint32_t ins_asbx(OnsOpcode op, unsigned a, int sbx)
{
    return ins_abx(op, a, (unsigned)(sbx + 32767));
}
static inline uint32_t ins_sj(OnsOpcode op, int32_t sj)
{
    return (uint32_t)op | ((uint32_t)(sj + ONS_MAX_sJ) << 8);
}
static inline uint32_t ins_ax(OnsOpcode op, uint32_t ax) { return (uint32_t)op | (ax << 8); }

extern const char *const ons_op_names[OP__COUNT];
extern const uint8_t ons_op_formats[OP__COUNT];

/* Appends an instruction with the span of source it implements; returns its index. */
uint32_t proto_emit(OnsProto *p, uint32_t ins, OnsSpan span);
/* Adds a constant (reusing an identical one among the last few); returns its index. */
uint32_t proto_add_k(OnsProto *p, OnsValue v);
uint32_t proto_add_proto(OnsProto *p, OnsProto *child);

/* Prints the code of p and of every function nested in it. */
void disasm_proto(OnsVM *vm, OnsOut *out, OnsProto *p, bool with_source);

#endif
