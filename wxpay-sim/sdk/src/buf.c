#include "buf.h"

#include <stdlib.h>
#include <string.h>

void buf_init(Buf *b) {
  b->data = NULL;
  b->len = b->cap = 0;
  b->failed = 0;
}

void buf_free(Buf *b) {
  free(b->data);
  buf_init(b);
}

void buf_append(Buf *b, const void *data, size_t n) {
  if (b->failed || n == 0) return;
  if (b->len + n > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + n) cap *= 2;
    char *bigger = realloc(b->data, cap);
    if (!bigger) {
      b->failed = 1;
      return;
    }
    b->data = bigger;
    b->cap = cap;
  }
  memcpy(b->data + b->len, data, n);
  b->len += n;
}

void buf_puts(Buf *b, const char *s) { buf_append(b, s, strlen(s)); }

void buf_putc(Buf *b, char c) { buf_append(b, &c, 1); }

void buf_json_string(Buf *b, const char *s, size_t n) {
  static const char hex[] = "0123456789abcdef";
  buf_putc(b, '"');
  size_t run = 0; /* bytes copied verbatim in one go */
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    const char *esc = NULL;
    char u[7];
    switch (c) {
      case '"': esc = "\\\""; break;
      case '\\': esc = "\\\\"; break;
      case '\n': esc = "\\n"; break;
      case '\r': esc = "\\r"; break;
      case '\t': esc = "\\t"; break;
      case '\b': esc = "\\b"; break;
      case '\f': esc = "\\f"; break;
      default:
        if (c < 0x20 || c == 0x7f) {
          u[0] = '\\', u[1] = 'u', u[2] = '0', u[3] = '0', u[4] = hex[c >> 4], u[5] = hex[c & 15], u[6] = 0;
          esc = u;
        }
    }
    if (esc) {
      buf_append(b, s + i - run, run);
      run = 0;
      buf_puts(b, esc);
    } else {
      run++;
    }
  }
  buf_append(b, s + n - run, run);
  buf_putc(b, '"');
}

void buf_json_field(Buf *b, const char *key, const char *value) {
  if (b->len > 0 && b->data[b->len - 1] != '{') buf_putc(b, ',');
  buf_json_string(b, key, strlen(key));
  buf_putc(b, ':');
  buf_json_string(b, value, strlen(value));
}
