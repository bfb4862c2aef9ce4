/* Standard base64 (RFC 4648 §4, with padding), as Node's Buffer writes it. */
#ifndef SIM_BASE64_H
#define SIM_BASE64_H

#include <stddef.h>

/* malloc'd NUL-terminated base64 of n bytes, or NULL when out of memory. */
char *base64_encode(const void *data, size_t n);
/* malloc'd decoded bytes (NUL-terminated) and their count, or NULL when the text is not base64. */
char *base64_decode(const char *text, size_t n, size_t *out_len);

#endif
