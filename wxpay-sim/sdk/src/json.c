#include "json.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"

#define MAX_DEPTH 64

typedef struct {
  const unsigned char *p;
  const unsigned char *end;
} Parser;

static void skip_ws(Parser *ps) {
  while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r')) ps->p++;
}

static int literal(Parser *ps, const char *word) {
  size_t n = strlen(word);
  if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0) return -1;
  ps->p += n;
  return 0;
}

static int hex4(Parser *ps, unsigned *out) {
  if (ps->end - ps->p < 4) return -1;
  unsigned v = 0;
  for (int i = 0; i < 4; i++) {
    unsigned char c = *ps->p++;
    v <<= 4;
    if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
    else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
    else return -1;
  }
  *out = v;
  return 0;
}

static void put_utf8(Buf *b, unsigned cp) {
  char u[4];
  size_t n;
  if (cp < 0x80) u[0] = (char)cp, n = 1;
  else if (cp < 0x800) u[0] = (char)(0xc0 | (cp >> 6)), u[1] = (char)(0x80 | (cp & 0x3f)), n = 2;
  else if (cp < 0x10000)
    u[0] = (char)(0xe0 | (cp >> 12)), u[1] = (char)(0x80 | ((cp >> 6) & 0x3f)), u[2] = (char)(0x80 | (cp & 0x3f)), n = 3;
  else
    u[0] = (char)(0xf0 | (cp >> 18)), u[1] = (char)(0x80 | ((cp >> 12) & 0x3f)),
    u[2] = (char)(0x80 | ((cp >> 6) & 0x3f)), u[3] = (char)(0x80 | (cp & 0x3f)), n = 4;
  buf_append(b, u, n);
}

/* Length of the well-formed UTF-8 sequence at p (no overlongs, surrogates or values over U+10FFFF), or 0. */
static size_t utf8_seq(const unsigned char *p, const unsigned char *end) {
  unsigned char c = p[0];
  size_t n;
  unsigned cp;
  if (c < 0x80) return 1;
  if (c >= 0xc2 && c <= 0xdf) n = 2, cp = c & 0x1f;
  else if (c >= 0xe0 && c <= 0xef) n = 3, cp = c & 0x0f;
  else if (c >= 0xf0 && c <= 0xf4) n = 4, cp = c & 0x07;
  else return 0;
  if ((size_t)(end - p) < n) return 0;
  for (size_t i = 1; i < n; i++) {
    if ((p[i] & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (p[i] & 0x3f);
  }
  if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return n;
}

/* Parses a string literal; when out is non-NULL the decoded bytes go there. */
static int parse_string(Parser *ps, Buf *out) {
  if (ps->p >= ps->end || *ps->p != '"') return -1;
  ps->p++;
  while (ps->p < ps->end) {
    unsigned char c = *ps->p;
    if (c == '"') {
      ps->p++;
      return 0;
    }
    if (c < 0x20) return -1;
    if (c == '\\') {
      ps->p++;
      if (ps->p >= ps->end) return -1;
      unsigned char e = *ps->p++;
      char ch;
      switch (e) {
        case '"': ch = '"'; break;
        case '\\': ch = '\\'; break;
        case '/': ch = '/'; break;
        case 'b': ch = '\b'; break;
        case 'f': ch = '\f'; break;
        case 'n': ch = '\n'; break;
        case 'r': ch = '\r'; break;
        case 't': ch = '\t'; break;
        case 'u': {
          unsigned cp;
          if (hex4(ps, &cp) != 0) return -1;
          if (cp >= 0xdc00 && cp <= 0xdfff) return -1; /* a low surrogate alone */
          if (cp >= 0xd800 && cp <= 0xdbff) {
            unsigned lo;
            if (ps->end - ps->p < 2 || ps->p[0] != '\\' || ps->p[1] != 'u') return -1;
            ps->p += 2;
            if (hex4(ps, &lo) != 0 || lo < 0xdc00 || lo > 0xdfff) return -1;
            cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
          }
          if (out) put_utf8(out, cp);
          continue;
        }
        default: return -1;
      }
      if (out) buf_putc(out, ch);
      continue;
    }
    size_t n = utf8_seq(ps->p, ps->end);
    if (n == 0) return -1;
    if (out) buf_append(out, ps->p, n);
    ps->p += n;
  }
  return -1;
}

static int parse_number(Parser *ps, JsonValue *v) {
  const unsigned char *start = ps->p;
  int negative = 0, integral = 1, overflow = 0;
  uint64_t mag = 0;
  if (ps->p < ps->end && *ps->p == '-') negative = 1, ps->p++;
  if (ps->p >= ps->end) return -1;
  if (*ps->p == '0') {
    ps->p++;
  } else if (*ps->p >= '1' && *ps->p <= '9') {
    while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9') {
      unsigned d = (unsigned)(*ps->p++ - '0');
      if (mag > (UINT64_MAX - d) / 10) overflow = 1;
      else mag = mag * 10 + d;
    }
  } else {
    return -1;
  }
  if (ps->p < ps->end && *ps->p == '.') {
    integral = 0;
    ps->p++;
    if (ps->p >= ps->end || *ps->p < '0' || *ps->p > '9') return -1;
    while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9') ps->p++;
  }
  if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E')) {
    integral = 0;
    ps->p++;
    if (ps->p < ps->end && (*ps->p == '+' || *ps->p == '-')) ps->p++;
    if (ps->p >= ps->end || *ps->p < '0' || *ps->p > '9') return -1;
    while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9') ps->p++;
  }
  if (v) {
    v->kind = J_NUMBER;
    v->is_int = integral && !overflow && mag <= (uint64_t)INT64_MAX;
    v->integer = v->is_int ? (negative ? -(int64_t)mag : (int64_t)mag) : 0;
  }
  return ps->p > start ? 0 : -1;
}

/* Parses any value; v (top-level members only) receives scalars decoded and the kind of containers. */
static int parse_value(Parser *ps, JsonValue *v, int depth) {
  if (depth > MAX_DEPTH) return -1;
  skip_ws(ps);
  if (ps->p >= ps->end) return -1;
  unsigned char c = *ps->p;
  if (c == '"') {
    Buf b;
    buf_init(&b);
    if (parse_string(ps, v ? &b : NULL) != 0) {
      buf_free(&b);
      return -1;
    }
    if (v) {
      buf_putc(&b, '\0');
      if (b.failed) {
        buf_free(&b);
        return -1;
      }
      v->kind = J_STRING;
      v->str = b.data;
      v->len = b.len - 1;
    }
    return 0;
  }
  if (c == '{' || c == '[') {
    unsigned char close = c == '{' ? '}' : ']';
    ps->p++;
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == close) {
      ps->p++;
    } else {
      for (;;) {
        if (c == '{') {
          skip_ws(ps);
          if (parse_string(ps, NULL) != 0) return -1;
          skip_ws(ps);
          if (ps->p >= ps->end || *ps->p++ != ':') return -1;
        }
        if (parse_value(ps, NULL, depth + 1) != 0) return -1;
        skip_ws(ps);
        if (ps->p >= ps->end) return -1;
        if (*ps->p == ',') {
          ps->p++;
          continue;
        }
        if (*ps->p++ != close) return -1;
        break;
      }
    }
    if (v) v->kind = c == '{' ? J_OBJECT : J_ARRAY;
    return 0;
  }
  if (c == 't' || c == 'f' || c == 'n') {
    const char *word = c == 't' ? "true" : c == 'f' ? "false" : "null";
    if (literal(ps, word) != 0) return -1;
    if (v) v->kind = c == 't' ? J_TRUE : c == 'f' ? J_FALSE : J_NULL;
    return 0;
  }
  return parse_number(ps, v);
}

static int add_member(JsonObject *obj, size_t *cap, JsonMember m) {
  if (obj->count == *cap) {
    size_t bigger = *cap ? *cap * 2 : 16;
    JsonMember *grown = realloc(obj->members, bigger * sizeof(JsonMember));
    if (!grown) return -1;
    obj->members = grown;
    *cap = bigger;
  }
  obj->members[obj->count++] = m;
  return 0;
}

int json_parse_object(const char *text, size_t len, JsonObject *out) {
  Parser ps = {(const unsigned char *)text, (const unsigned char *)text + len};
  size_t cap = 0;
  out->members = NULL;
  out->count = 0;
  if (!text) return -1;
  skip_ws(&ps);
  if (ps.p >= ps.end || *ps.p++ != '{') return -1;
  skip_ws(&ps);
  if (ps.p < ps.end && *ps.p == '}') {
    ps.p++;
  } else {
    for (;;) {
      JsonMember m;
      memset(&m, 0, sizeof m);
      Buf key;
      buf_init(&key);
      skip_ws(&ps);
      int bad = parse_string(&ps, &key) != 0;
      buf_putc(&key, '\0');
      m.key = key.data;
      m.key_len = key.len ? key.len - 1 : 0;
      if (!bad) {
        skip_ws(&ps);
        bad = ps.p >= ps.end || *ps.p++ != ':';
      }
      if (!bad) bad = parse_value(&ps, &m.value, 1) != 0;
      if (bad || key.failed || add_member(out, &cap, m) != 0) {
        free(m.key);
        free(m.value.str);
        json_free(out);
        return -1;
      }
      skip_ws(&ps);
      if (ps.p < ps.end && *ps.p == ',') {
        ps.p++;
        continue;
      }
      if (ps.p >= ps.end || *ps.p++ != '}') {
        json_free(out);
        return -1;
      }
      break;
    }
  }
  skip_ws(&ps);
  if (ps.p != ps.end) {
    json_free(out);
    return -1;
  }
  return 0;
}

void json_free(JsonObject *obj) {
  for (size_t i = 0; i < obj->count; i++) {
    free(obj->members[i].key);
    free(obj->members[i].value.str);
  }
  free(obj->members);
  obj->members = NULL;
  obj->count = 0;
}

const JsonValue *json_get(const JsonObject *obj, const char *key) {
  size_t n = strlen(key);
  for (size_t i = obj->count; i-- > 0;) {
    if (obj->members[i].key_len == n && memcmp(obj->members[i].key, key, n) == 0) return &obj->members[i].value;
  }
  return NULL;
}
