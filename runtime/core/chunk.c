/* Opcode tables, code emission and the disassembler (`onshore dis`). */
#include "chunk.h"
#include "vm.h"
#include "mem.h"

#include <string.h>

const char *const ons_op_names[OP__COUNT] = {
#define OP(name, fmt, doc) #name,
#include "opcodes.def"
#undef OP
};

const uint8_t ons_op_formats[OP__COUNT] = {
#define OP(name, fmt, doc) FMT_##fmt,
#include "opcodes.def"
#undef OP
};

uint32_t proto_emit(OnsProto *p, uint32_t ins, OnsSpan span)
{
    if (p->ncode == p->code_cap) {
        /* two arrays grown side by side, each with its own counter for ONS_GROW */
        // cppcheck-suppress duplicateAssignExpression
        size_t cap = p->code_cap, cap2 = p->code_cap;
        ONS_GROW(p->code, cap, (size_t)p->ncode + 1);
        ONS_GROW(p->spans, cap2, (size_t)p->ncode + 1);
        p->code_cap = (uint32_t)cap;
    }
    p->code[p->ncode] = ins;
    p->spans[p->ncode] = span;
    return p->ncode++;
}

uint32_t proto_add_k(OnsProto *p, OnsValue v)
{
    if (p->nk == p->k_cap) {
        size_t cap = p->k_cap;
        ONS_GROW(p->k, cap, (size_t)p->nk + 1);
        p->k_cap = (uint32_t)cap;
    }
    p->k[p->nk] = v;
    return p->nk++;
}

uint32_t proto_add_proto(OnsProto *p, OnsProto *child)
{
    if (p->nprotos == p->protos_cap) {
        size_t cap = p->protos_cap;
        ONS_GROW(p->protos, cap, (size_t)p->nprotos + 1);
        p->protos_cap = (uint32_t)cap;
    }
    p->protos[p->nprotos] = child;
    return p->nprotos++;
}

static void print_operands(OnsOut *out, uint32_t ins)
{
    switch ((OnsOpFormat)ons_op_formats[INS_OP(ins)]) {
    case FMT_A: out_printf(out, "%u", INS_A(ins)); break;
    case FMT_AB: out_printf(out, "%u %u", INS_A(ins), INS_B(ins)); break;
    case FMT_ABC: out_printf(out, "%u %u %u", INS_A(ins), INS_B(ins), INS_C(ins)); break;
    case FMT_ABx: out_printf(out, "%u %u", INS_A(ins), INS_Bx(ins)); break;
    case FMT_AsBx: out_printf(out, "%u %d", INS_A(ins), INS_sBx(ins)); break;
    case FMT_sJ: out_printf(out, "%d", INS_sJ(ins)); break;
    case FMT_Ax: out_printf(out, "%u", INS_Ax(ins)); break;
    }
}

/* A comment naming the constant an instruction uses, when it has one. */
static void print_comment(OnsVM *vm, OnsOut *out, const OnsProto *p, uint32_t pc)
{
    uint32_t ins = p->code[pc];
    int k = -1;
    switch (INS_OP(ins)) {
    case OP_LOADK: k = (int)INS_Bx(ins); break;
    case OP_HOST:
        if (INS_B(ins) < vm->host.nops) out_printf(out, "\t; %s", vm->host.ops[INS_B(ins)].name);
        return;
    case OP_ADDK: case OP_SUBK: case OP_MULK: case OP_DIVK: k = (int)INS_C(ins); break;
    case OP_JLTK: case OP_JLEK: case OP_JGTK: case OP_JGEK: k = (int)INS_B(ins); break;
    case OP_LOADKX: case OP_CALLN:
        if (pc + 1 < p->ncode) k = (int)INS_Ax(p->code[pc + 1]);
        break;
    case OP_JMP:
        out_printf(out, "\t; to %d", (int)pc + 1 + INS_sJ(ins));
        return;
    case OP_CLOSURE:
        if (INS_Bx(ins) < p->nprotos && p->protos[INS_Bx(ins)]->name)
            out_printf(out, "\t; fn %s", p->protos[INS_Bx(ins)]->name->chars);
        return;
    default: return;
    }
    if (k >= 0 && (uint32_t)k < p->nk) {
        char buf[80];
        out_printf(out, "\t; %s", value_to_cstr(vm, p->k[k], buf, sizeof buf));
    }
}

void disasm_proto(OnsVM *vm, OnsOut *out, OnsProto *p, bool with_source)
{
    uint32_t line0 = 0;
    if (p->src) source_locate(p->src, p->span.start, &line0, &(uint32_t){0});
    out_printf(out, "function %s (%s:%u): %u params, %u registers, %u upvalues, %u constants, %u instructions\n",
               p->name ? p->name->chars : "?", p->src ? p->src->name : "?", line0, p->nparams,
               p->maxregs, p->nupvals, p->nk, p->ncode);
    uint32_t last_line = 0;
    for (uint32_t pc = 0; pc < p->ncode; pc++) {
        uint32_t ins = p->code[pc];
        uint32_t line = 0, col = 0;
        if (p->src) source_locate(p->src, p->spans[pc].start, &line, &col);
        if (with_source && p->src && line != last_line) {
            uint32_t len;
            const char *text = source_line(p->src, line, &len);
            out_printf(out, len ? "%5u | %.*s\n" : "%5u |\n", line, (int)len, text); /* no trailing blank */
            last_line = line;
        }
        out_printf(out, "  %4u  [%u]  %-12s ", pc, line, ons_op_names[INS_OP(ins)]);
        print_operands(out, ins);
        print_comment(vm, out, p, pc);
        out_putc(out, '\n');
    }
    for (uint32_t i = 0; i < p->nprotos; i++) {
        out_putc(out, '\n');
        disasm_proto(vm, out, p->protos[i], with_source);
    }
}
