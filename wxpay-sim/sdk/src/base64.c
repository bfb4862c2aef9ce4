#include "base64.h"

#include <stdlib.h>

static const char ALPHABET[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *base64_encode(const void *data, size_t n) {
  const unsigned char *p = data;
  char *out = malloc((n + 2) / 3 * 4 + 1), *o = out;
  if (!out) return NULL;
  for (size_t i = 0; i < n; i += 3) {
    unsigned v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0) | (i + 2 < n ? p[i + 2] : 0);
    *o++ = ALPHABET[v >> 18];
    *o++ = ALPHABET[(v >> 12) & 63];
    *o++ = i + 1 < n ? ALPHABET[(v >> 6) & 63] : '=';
    *o++ = i + 2 < n ? ALPHABET[v & 63] : '=';
  }
  *o = '\0';
  return out;
}

static int value_of(unsigned char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

char *base64_decode(const char *text, size_t n, size_t *out_len) {
  /* Padding is optional, as it is for Node; anything else outside the alphabet is refused. */
  while (n > 0 && text[n - 1] == '=') n--;
  if (n % 4 == 1) return NULL;
  unsigned char *out = malloc(n / 4 * 3 + 3), *o = out;
  if (!out) return NULL;
  unsigned acc = 0;
  int bits = 0;
  for (size_t i = 0; i < n; i++) {
    int v = value_of((unsigned char)text[i]);
    if (v < 0) {
      free(out);
      return NULL;
    }
    acc = (acc << 6) | (unsigned)v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      *o++ = (unsigned char)(acc >> bits);
      acc &= (1u << bits) - 1;
    }
  }
  *o = '\0';
  *out_len = (size_t)(o - out);
  return (char *)out;
}
