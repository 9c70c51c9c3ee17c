/* OnsValue: the 16-byte value every register, constant and property holds.
 *
 *   byte 0    type (OnsType)
 *   byte 1    hint: for numbers ONS_HINT_PERCENT (prints as 44%), for
 *             entity references the entity kind
 *   bytes 2-6 dimension exponents (numbers only)
 *   byte 7    zero
 *   bytes 8-15 payload: double, bool, entity index or object pointer
 *
 * The first eight bytes read as one word (hdr), so "two numbers of the same
 * dimension" is a single compare in the VM's arithmetic fast paths, and a
 * quantity never allocates.  docs/internals.md says why this layout won. */
#ifndef ONS_RUNTIME_VALUE_H
#define ONS_RUNTIME_VALUE_H

#include "common.h"
#include "output.h"
#include "units.h"

typedef enum OnsType {
    ONS_T_NIL = 0,
    ONS_T_BOOL,
    ONS_T_NUM,
    ONS_T_ENTITY,
    ONS_T_OBJ,
    ONS_T_UNDEF /* internal: a global declared but not yet assigned */
} OnsType;

enum { ONS_HINT_NONE = 0, ONS_HINT_PERCENT = 1 };

/* Entity kinds (the hint of an ONS_T_ENTITY value).  ORDER matters to nothing. */
typedef enum OnsEntityKind {
    ONS_ENT_STAGE,
    ONS_ENT_CLASS,
    ONS_ENT_REGION,
    ONS_ENT_GROUP,
    ONS_ENT_MATERIAL,
    ONS_ENT_FACILITY,
    ONS_ENT_LANE,
    ONS_ENT_DEMAND,
    ONS_ENT_POLICY,
    ONS_ENT_SCENARIO,
    ONS_ENT_PARAM,      /* an uncertain input (spec 11) */
    ONS_ENT_KIND_COUNT
} OnsEntityKind;

typedef struct OnsObj OnsObj;

typedef struct OnsValue {
    union {
        struct {
            uint8_t type;
            uint8_t hint;
            OnsDim dim;
            uint8_t zero;
        };
        uint64_t hdr;
    };
    union {
        double num;
        bool b;
        uint32_t index;
        OnsObj *obj;
    } as;
} OnsValue;

_Static_assert(sizeof(OnsValue) == 16, "OnsValue must stay 16 bytes");

static inline OnsValue ons_nil(void)
{
    OnsValue v;
    v.hdr = 0;
    v.type = ONS_T_NIL; /* already 0; said for the static analyzer, which does not see through the union */
    v.as.obj = NULL;
    return v;
}
static inline OnsValue ons_undef(void)
{
    OnsValue v = ons_nil();
    v.type = ONS_T_UNDEF;
    return v;
}
static inline OnsValue ons_bool(bool b)
{
    OnsValue v = ons_nil();
    v.type = ONS_T_BOOL;
    v.as.b = b;
    return v;
}
static inline OnsValue ons_num(double x)
{
    OnsValue v = ons_nil();
    v.type = ONS_T_NUM;
    v.as.num = x;
    return v;
}
static inline OnsValue ons_quantity(double x, OnsDim d, uint8_t hint)
{
    OnsValue v = ons_nil();
    v.type = ONS_T_NUM;
    v.hint = hint;
    v.dim = d;
    v.as.num = x;
    return v;
}
static inline OnsValue ons_percent(double x) { return ons_quantity(x, dim_none(), ONS_HINT_PERCENT); }
static inline OnsValue ons_entity(OnsEntityKind kind, uint32_t index)
{
    OnsValue v = ons_nil();
    v.type = ONS_T_ENTITY;
    v.hint = (uint8_t)kind;
    v.as.index = index;
    return v;
}
static inline OnsValue ons_obj_value(OnsObj *o)
{
    OnsValue v = ons_nil();
    v.type = ONS_T_OBJ;
    v.as.obj = o;
    return v;
}

/* The header word of a plain dimensionless number without hint. */
static inline uint64_t ons_plain_num_hdr(void) { return ons_num(0).hdr; }

#define ONS_IS_NIL(v) ((v).type == ONS_T_NIL)
#define ONS_IS_BOOL(v) ((v).type == ONS_T_BOOL)
#define ONS_IS_NUM(v) ((v).type == ONS_T_NUM)
#define ONS_IS_ENTITY(v) ((v).type == ONS_T_ENTITY)
#define ONS_IS_OBJ(v) ((v).type == ONS_T_OBJ)

static inline bool ons_truthy(OnsValue v)
{
    return !(v.type == ONS_T_NIL || (v.type == ONS_T_BOOL && !v.as.b));
}
static inline bool ons_is_entity(OnsValue v, OnsEntityKind k)
{
    return v.type == ONS_T_ENTITY && v.hint == k;
}

/* Numbers compare within a relative tolerance of 1e-9 (spec §2). */
bool ons_num_close(double a, double b);
/* `==` of the language.  Numbers of different dimensions are not equal. */
bool ons_values_equal(OnsValue a, OnsValue b);
/* Identity used for map keys: exact bits for numbers (with -0 == 0). */
bool ons_values_same(OnsValue a, OnsValue b);
uint32_t ons_value_hash(OnsValue v);

const char *ons_entity_kind_name(OnsEntityKind k);   /* "region", "material", ... */
/* A word for the value's type, for messages: "number", "mass", "list", "region". */
const char *ons_type_word(OnsValue v, char *buf, size_t n);

#endif
