/* A growable byte buffer; on allocation failure it remembers the failure and ignores further appends. */
#ifndef SIM_BUF_H
#define SIM_BUF_H

#include <stddef.h>

typedef struct {
  char *data;
  size_t len;
  size_t cap;
  int failed;
} Buf;

void buf_init(Buf *b);
void buf_free(Buf *b);
void buf_append(Buf *b, const void *data, size_t n);
void buf_puts(Buf *b, const char *s);
void buf_putc(Buf *b, char c);
/* Appends "<key>":"<value>" (with a leading comma unless the object is still empty) as JSON. */
void buf_json_field(Buf *b, const char *key, const char *value);
/* Appends the UTF-8 bytes as a JSON string literal, escaping quotes, backslashes and control characters. */
void buf_json_string(Buf *b, const char *s, size_t n);

#endif
