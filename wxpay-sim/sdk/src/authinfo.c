#include "authinfo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "buf.h"
#include "platform.h"
#include "sha256.h"

static void to_hex(const unsigned char *bytes, size_t n, char *out) {
  static const char hex[] = "0123456789abcdef";
  for (size_t i = 0; i < n; i++) {
    out[2 * i] = hex[bytes[i] >> 4];
    out[2 * i + 1] = hex[bytes[i] & 15];
  }
  out[2 * n] = '\0';
}

/* Compares in time that depends only on the lengths, so the MAC cannot be guessed byte by byte. */
static int same_bytes(const char *a, size_t a_len, const char *b, size_t b_len) {
  if (a_len != b_len) return 0;
  unsigned char diff = 0;
  for (size_t i = 0; i < a_len; i++) diff |= (unsigned char)(a[i] ^ b[i]);
  return diff == 0;
}

static int field_is(const char *start, size_t len, const char *want) {
  return strlen(want) == len && memcmp(start, want, len) == 0;
}

static int parse_int64(const char *s, size_t len, int64_t *out) {
  size_t i = 0;
  int negative = 0;
  int64_t v = 0;
  if (len > 0 && s[0] == '-') negative = 1, i = 1;
  if (i == len || len - i > 18) return -1;
  for (; i < len; i++) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  *out = negative ? -v : v;
  return 0;
}

AuthCheck authinfo_verify(const char *authinfo, size_t len, const AuthBinding *expect, const char *secret,
                          int64_t now) {
  size_t text_len;
  char *text = base64_decode(authinfo, len, &text_len);
  if (!text) return AUTH_MALFORMED;
  const char *cut = NULL;
  for (size_t i = text_len; i-- > 0;) {
    if (text[i] == '|') {
      cut = text + i;
      break;
    }
  }
  if (!cut) {
    free(text);
    return AUTH_MALFORMED;
  }
  size_t payload_len = (size_t)(cut - text);
  unsigned char mac[32];
  char wanted[65];
  hmac_sha256(secret, strlen(secret), text, payload_len, mac);
  to_hex(mac, 32, wanted);
  if (!same_bytes(cut + 1, text_len - payload_len - 1, wanted, 64)) {
    free(text);
    return AUTH_SIGNATURE;
  }
  /* tag|serial|appid|mch_id|store_id|expires_at|nonce: only the first six fields matter. */
  const char *field[6];
  size_t field_len[6];
  size_t count = 0;
  const char *start = text;
  for (const char *p = text; p <= cut && count < 6; p++) {
    if (p == cut || *p == '|') {
      field[count] = start;
      field_len[count++] = (size_t)(p - start);
      start = p + 1;
    }
  }
  AuthCheck result = AUTH_OK;
  int64_t expires_at = 0;
  if (count < 6 || !field_is(field[0], field_len[0], "WXSIM1")) {
    result = AUTH_MALFORMED;
  } else if (!field_is(field[1], field_len[1], expect->serial) || !field_is(field[2], field_len[2], expect->appid) ||
             !field_is(field[3], field_len[3], expect->mch_id) ||
             !field_is(field[4], field_len[4], expect->store_id)) {
    result = AUTH_MISMATCH;
  } else if (parse_int64(field[5], field_len[5], &expires_at) != 0 || expires_at <= now) {
    result = AUTH_EXPIRED;
  }
  free(text);
  return result;
}

char *rawdata_make(const char *serial, int64_t now) {
  unsigned char nonce[16];
  char nonce_hex[33], tail[64];
  if (sim_random_bytes(nonce, sizeof nonce) != 0) return NULL;
  to_hex(nonce, sizeof nonce, nonce_hex);
  snprintf(tail, sizeof tail, "|%s|%lld", nonce_hex, (long long)now);
  Buf b;
  buf_init(&b);
  buf_puts(&b, "WXSIMRAW1|");
  buf_puts(&b, serial);
  buf_puts(&b, tail);
  char *out = b.failed ? NULL : base64_encode(b.data, b.len);
  buf_free(&b);
  return out;
}
