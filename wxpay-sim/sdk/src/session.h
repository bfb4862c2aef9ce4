/*
 * The session with WxpayFaceService, as the SDK sees it: initWxpayface starts it, which takes
 * WXPAYFACE_SIM_INIT_MS (default 0) during which the SDK answers "initialising" (err_code 271378621);
 * releaseWxpayface ends it, and so does a service that stopped or restarted ("not initialised",
 * err_code 271378620, until the next init).
 */
#ifndef SIM_SESSION_H
#define SIM_SESSION_H

#include "buf.h"

/* The SDK family's second-level codes (`err_code`, an integer beside return_code). */
#define ERR_NOT_INITIALISED 271378620
#define ERR_INITIALISING 271378621

typedef enum { SESSION_NONE, SESSION_STARTING, SESSION_READY } SessionState;

/* The state now (a start whose time has passed is READY). */
SessionState session_state(void);
/* initWxpayface: starts the session unless one runs or is starting; returns the state after the call. */
SessionState session_init(long long init_ms);
/* releaseWxpayface, or the service lost our session. */
void session_end(void);

/* {"return_code":"FAIL","return_msg":…,"err_code":N} for ERR_NOT_INITIALISED or ERR_INITIALISING. */
void session_error(Buf *out, int err_code);

#endif
