#include "session.h"

#include <stdio.h>

#include "platform.h"
#include "response.h"

/* Guarded by the sim lock. */
static SessionState state = SESSION_NONE;
static int64_t ready_at_ms; /* monotonic; meaningful while STARTING */

static SessionState current(void) {
  if (state == SESSION_STARTING && sim_monotonic_ms() >= ready_at_ms) state = SESSION_READY;
  return state;
}

SessionState session_state(void) {
  sim_lock();
  SessionState s = current();
  sim_unlock();
  return s;
}

SessionState session_init(long long init_ms) {
  sim_lock();
  if (current() == SESSION_NONE) {
    state = init_ms > 0 ? SESSION_STARTING : SESSION_READY;
    ready_at_ms = sim_monotonic_ms() + init_ms;
  }
  SessionState s = state;
  sim_unlock();
  return s;
}

void session_end(void) {
  sim_lock();
  state = SESSION_NONE;
  sim_unlock();
}

void session_error(Buf *out, int err_code) {
  /* The Android SDK's own words (return_code FAIL and these messages, as its client library writes them). */
  response_open(out, "FAIL",
                err_code == ERR_INITIALISING ? "\xe5\x88\xb7\xe8\x84\xb8\xe6\x9c\x8d\xe5\x8a\xa1\xe5\x88\x9d\xe5\xa7\x8b\xe5\x8c\x96\xe4\xb8\xad" /* 刷脸服务初始化中 */
                                             : "\xe5\x88\xb7\xe8\x84\xb8\xe6\x9c\x8d\xe5\x8a\xa1\xe6\x9c\xaa\xe5\x88\x9d\xe5\xa7\x8b\xe5\x8c\x96" /* 刷脸服务未初始化 */);
  char number[32];
  snprintf(number, sizeof number, ",\"err_code\":%d", err_code);
  buf_puts(out, number);
  response_close(out);
}
