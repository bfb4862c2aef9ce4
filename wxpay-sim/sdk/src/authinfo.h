/*
 * The simulator's authinfo and rawdata formats, identical to wxpay-sim/src/authinfo.ts:
 *   rawdata  = base64("WXSIMRAW1|<serial>|<nonce 32 hex>|<now>")
 *   payload  = "WXSIM1|<serial>|<appid>|<mch_id>|<store_id>|<expires_at>|<nonce 16 hex>"
 *   authinfo = base64(payload + "|" + hex(HMAC-SHA256(secret, payload)))
 */
#ifndef SIM_AUTHINFO_H
#define SIM_AUTHINFO_H

#include <stddef.h>
#include <stdint.h>

#define SIM_DEFAULT_SECRET "posface-sim-dev-secret"
#define SIM_DEFAULT_SERIAL "SIM-TERMINAL-0001"

typedef enum { AUTH_OK, AUTH_MALFORMED, AUTH_SIGNATURE, AUTH_MISMATCH, AUTH_EXPIRED } AuthCheck;

typedef struct {
  const char *serial;
  const char *appid;
  const char *mch_id;
  const char *store_id;
} AuthBinding;

AuthCheck authinfo_verify(const char *authinfo, size_t len, const AuthBinding *expect, const char *secret,
                          int64_t now);

/* malloc'd rawdata for this serial and time, or NULL (out of memory, no randomness). */
char *rawdata_make(const char *serial, int64_t now);

#endif
