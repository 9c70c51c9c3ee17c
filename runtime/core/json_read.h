/* A small JSON reader (RFC 8259) for files Onshore writes itself and reads
 * back: a sweep shard's part description.  Whatever the input, it returns a
 * tree or NULL with a message; it never reads past the text or nests deeper
 * than JSON_MAX_DEPTH. */
#ifndef ONS_RUNTIME_JSON_READ_H
#define ONS_RUNTIME_JSON_READ_H

#include "common.h"

enum { JSON_MAX_DEPTH = 64 };

typedef enum { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT } JsonKind;

typedef struct JsonValue {
    JsonKind kind;
    bool b;
    double num;
    char *text;                /* a string's text, or a number as written (exact for big integers) */
    struct JsonValue *items;   /* an array's items or an object's values */
    char **keys;               /* an object's keys */
    size_t n;
} JsonValue;

/* Parses text[0..len); NULL and a message in err on malformed input. */
JsonValue *json_parse(const char *text, size_t len, char *err, size_t errlen);
void json_free(JsonValue *v);
/* An object's member, or NULL (also when v is not an object). */
const JsonValue *json_get(const JsonValue *v, const char *key);

#endif
