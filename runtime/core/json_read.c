/* A recursive-descent JSON reader; see json_read.h. */
#include "json_read.h"
#include "mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Reader {
    const char *p, *end;
    char *err;
    size_t errlen;
    bool failed;
} Reader;

static bool fail(Reader *r, const char *what)
{
    if (!r->failed) snprintf(r->err, r->errlen, "%s", what);
    r->failed = true;
    return false;
}

static void skip_space(Reader *r)
{
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r')) r->p++;
}

static bool literal(Reader *r, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(r->end - r->p) < n || memcmp(r->p, word, n) != 0) return fail(r, "an unknown word");
    r->p += n;
    return true;
}

static void put_utf8(char *out, size_t *len, unsigned c)
{
    if (c < 0x80) out[(*len)++] = (char)c;
    else if (c < 0x800) {
        out[(*len)++] = (char)(0xC0 | (c >> 6));
        out[(*len)++] = (char)(0x80 | (c & 0x3F));
    } else {
        out[(*len)++] = (char)(0xE0 | (c >> 12));
        out[(*len)++] = (char)(0x80 | ((c >> 6) & 0x3F));
        out[(*len)++] = (char)(0x80 | (c & 0x3F));
    }
}

/* A string after its opening quote; escapes decoded (\u to UTF-8, surrogate
 * pairs kept as two three-byte sequences: enough for names we wrote). */
static char *string_body(Reader *r)
{
    size_t cap = 16, len = 0;
    char *s = ons_malloc(cap);
    for (;;) {
        if (r->p >= r->end) {
            fail(r, "a string without its closing quote");
            break;
        }
        if (cap - len < 4) s = ons_realloc(s, cap *= 2);
        unsigned char c = (unsigned char)*r->p++;
        if (c == '"') {
            s[len] = '\0';
            return s;
        }
        if (c < 0x20) {
            fail(r, "a control character in a string");
            break;
        }
        if (c != '\\') {
            s[len++] = (char)c;
            continue;
        }
        if (r->p >= r->end) continue;
        char e = *r->p++;
        const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
        const char *at = e ? strchr(from, e) : NULL;
        if (at) s[len++] = to[at - from];
        else if (e == 'u' && r->end - r->p >= 4) {
            char hex[5] = {r->p[0], r->p[1], r->p[2], r->p[3], 0};
            char *stop;
            unsigned long u = strtoul(hex, &stop, 16);
            if (*stop) {
                fail(r, "a bad \\u escape");
                break;
            }
            r->p += 4;
            put_utf8(s, &len, (unsigned)u);
        } else {
            fail(r, "a bad escape in a string");
            break;
        }
    }
    ons_free(s);
    return NULL;
}

static bool value(Reader *r, JsonValue *v, int depth);

static bool number(Reader *r, JsonValue *v)
{
    const char *start = r->p;
    while (r->p < r->end && strchr("+-0123456789.eE", *r->p)) r->p++;
    size_t n = (size_t)(r->p - start);
    if (n == 0 || n > 64) return fail(r, "a malformed number");
    v->text = ons_malloc(n + 1);
    memcpy(v->text, start, n);
    v->text[n] = '\0';
    char *stop;
    v->num = strtod(v->text, &stop);
    if (*stop) return fail(r, "a malformed number");
    v->kind = JSON_NUMBER;
    return true;
}

static bool array_or_object(Reader *r, JsonValue *v, int depth, bool object)
{
    v->kind = object ? JSON_OBJECT : JSON_ARRAY;
    char close = object ? '}' : ']';
    size_t cap = 0;
    skip_space(r);
    if (r->p < r->end && *r->p == close) {
        r->p++;
        return true;
    }
    for (;;) {
        if (v->n == cap) {
            cap = cap ? cap * 2 : 8;
            v->items = ons_realloc(v->items, cap * sizeof *v->items);
            if (object) v->keys = ons_realloc(v->keys, cap * sizeof *v->keys);
        }
        JsonValue *item = &v->items[v->n];
        memset(item, 0, sizeof *item);
        if (object) v->keys[v->n] = NULL;
        v->n++;
        skip_space(r);
        if (object) {
            if (r->p >= r->end || *r->p != '"') return fail(r, "an object key that is not a string");
            r->p++;
            if (!(v->keys[v->n - 1] = string_body(r))) return false;
            skip_space(r);
            if (r->p >= r->end || *r->p != ':') return fail(r, "a key without ':'");
            r->p++;
        }
        if (!value(r, item, depth + 1)) return false;
        skip_space(r);
        if (r->p < r->end && *r->p == ',') {
            r->p++;
            continue;
        }
        if (r->p < r->end && *r->p == close) {
            r->p++;
            return true;
        }
        return fail(r, object ? "an object without its closing '}'" : "an array without its closing ']'");
    }
}

static bool value(Reader *r, JsonValue *v, int depth)
{
    if (depth > JSON_MAX_DEPTH) return fail(r, "nesting too deep");
    skip_space(r);
    if (r->p >= r->end) return fail(r, "the text ends where a value should be");
    switch (*r->p) {
    case '{': r->p++; return array_or_object(r, v, depth, true);
    case '[': r->p++; return array_or_object(r, v, depth, false);
    case '"':
        r->p++;
        v->kind = JSON_STRING;
        return (v->text = string_body(r)) != NULL;
    case 't': v->kind = JSON_BOOL; v->b = true; return literal(r, "true");
    case 'f': v->kind = JSON_BOOL; return literal(r, "false");
    case 'n': v->kind = JSON_NULL; return literal(r, "null");
    default: return number(r, v);
    }
}

static void free_inside(JsonValue *v)
{
    for (size_t i = 0; i < v->n; i++) {
        free_inside(&v->items[i]);
        if (v->keys) ons_free(v->keys[i]);
    }
    ons_free(v->items);
    ons_free(v->keys);
    ons_free(v->text);
}

void json_free(JsonValue *v)
{
    if (!v) return;
    free_inside(v);
    ons_free(v);
}

JsonValue *json_parse(const char *text, size_t len, char *err, size_t errlen)
{
    Reader r = {text, text + len, err, errlen, false};
    JsonValue *v = ons_calloc(1, sizeof *v);
    if (value(&r, v, 0)) {
        skip_space(&r);
        if (r.p < r.end) fail(&r, "more text after the value");
    }
    if (r.failed) {
        json_free(v);
        return NULL;
    }
    return v;
}

const JsonValue *json_get(const JsonValue *v, const char *key)
{
    if (!v || v->kind != JSON_OBJECT) return NULL;
    for (size_t i = 0; i < v->n; i++)
        if (v->keys[i] && strcmp(v->keys[i], key) == 0) return &v->items[i];
    return NULL;
}
