#include "camera.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "env.h"
#include "faces.h"
#include "platform.h"
#include "response.h"
#include "script.h"
#include "session.h"

#define DEFAULT_DELAY_MS 1200
#define USER_CANCEL_MSG "\xe7\x94\xa8\xe6\x88\xb7\xe5\x8f\x96\xe6\xb6\x88" /* 用户取消 */

/* Guarded by the sim lock. A step remembers the generation it started in; stop moves it on. */
static unsigned long long stop_generation;
static unsigned long long faces_served; /* round-robin position, shared by all callers */

void camera_stop(void) {
  sim_lock();
  stop_generation++;
  sim_broadcast();
  sim_unlock();
}

/* Waits ms unless stopped; returns 1 when the step was stopped. */
static int wait_or_stop(long long ms, unsigned long long generation) {
  sim_lock();
  int64_t deadline = sim_monotonic_ms() + ms;
  while (stop_generation == generation && sim_monotonic_ms() < deadline) sim_wait_until(deadline);
  int stopped = stop_generation != generation;
  sim_unlock();
  return stopped;
}

static size_t next_in_turn(size_t count) {
  sim_lock();
  size_t index = (size_t)(faces_served++ % count);
  sim_unlock();
  return index;
}

static void write_success(const IdentifyRequest *req, const char *openid, const char *nickname, size_t nickname_len,
                          const char *unionid, Buf *out) {
  response_open(out, "SUCCESS", "SUCCESS");
  buf_json_field(out, "openid", openid);
  buf_puts(out, ",\"nickname\":");
  buf_json_string(out, nickname, nickname_len);
  if (req->sub_appid && *req->sub_appid) {
    /* One openid per appid, as WeChat gives: derive a stable one for the sub-merchant's appid. */
    Buf sub;
    buf_init(&sub);
    buf_puts(&sub, openid);
    buf_putc(&sub, '@');
    buf_puts(&sub, req->sub_appid);
    buf_putc(&sub, '\0');
    buf_json_field(out, "sub_openid", sub.failed ? "" : sub.data);
    buf_free(&sub);
  }
  if (req->ask_unionid && unionid) {
    Buf raw;
    buf_init(&raw);
    buf_puts(&raw, "WXSIMTOKEN1|");
    buf_puts(&raw, openid);
    buf_putc(&raw, '|');
    buf_puts(&raw, unionid);
    char *token = raw.failed ? NULL : base64_encode(raw.data, raw.len);
    buf_json_field(out, "unionid_code", "SUCCESS");
    buf_json_field(out, "unionid_msg", "SUCCESS");
    buf_json_field(out, "token", token ? token : "");
    free(token);
    buf_free(&raw);
  }
  response_close(out);
}

static void serve_face(const IdentifyRequest *req, const FaceList *faces, size_t index, Buf *out) {
  const Face *f = &faces->faces[index];
  write_success(req, f->openid, f->nickname, strlen(f->nickname), f->unionid, out);
}

int camera_identify(const IdentifyRequest *req, Buf *out) {
  char err[512];
  ScriptStep step;
  FaceList faces;
  long long ms;

  sim_lock();
  unsigned long long generation = stop_generation;
  script_next(&step); /* under the lock: two concurrent steps never take the same line */
  sim_unlock();

  switch (step.kind) {
    case SCRIPT_CALLFAIL: return -1;
    case SCRIPT_CRASH: abort();
    case SCRIPT_HANG:
      /* A wedged vendor service: nothing, not even stopWxpayface, brings this call back. */
      for (;;) sim_sleep_ms(60 * 1000);
    case SCRIPT_CANCEL: response_simple(out, "USER_CANCEL", USER_CANCEL_MSG); return 0;
    case SCRIPT_FORGET:
      /* WxpayFaceService restarted under us: our session is gone until the next init. */
      session_end();
      session_error(out, ERR_NOT_INITIALISED);
      return 0;
    case SCRIPT_ERROR: response_simple(out, step.code, step.text); return 0;
    case SCRIPT_INVALID: response_simple(out, "SYSTEMERROR", step.text); return 0;
    case SCRIPT_BIG: {
      char *nickname = malloc(step.number > 0 ? (size_t)step.number : 1);
      if (!nickname) {
        response_simple(out, "SYSTEMERROR", "out of memory for big N");
        return 0;
      }
      memset(nickname, 'x', (size_t)step.number);
      write_success(req, "oSIM_BIG", nickname, (size_t)step.number, NULL, out);
      free(nickname);
      return 0;
    }
    case SCRIPT_FACE:
    case SCRIPT_SLOW:
    case SCRIPT_NONE: break;
  }

  if (faces_load(&faces, err, sizeof err) != 0) {
    response_simple(out, "SYSTEMERROR", err);
    return 0;
  }
  if (step.kind == SCRIPT_FACE) {
    if ((size_t)step.number > faces.count) {
      snprintf(err, sizeof err, "WXPAYFACE_SIM_SCRIPT asks for face %lld but the faces file has %zu",
               (long long)step.number, faces.count);
      response_simple(out, "SYSTEMERROR", err);
    } else {
      serve_face(req, &faces, (size_t)step.number - 1, out);
    }
    faces_free(&faces);
    return 0;
  }
  if (step.kind == SCRIPT_SLOW) {
    ms = (long long)step.number;
  } else if (env_ms("WXPAYFACE_SIM_DELAY_MS", DEFAULT_DELAY_MS, &ms, err, sizeof err) != 0) {
    response_simple(out, "SYSTEMERROR", err);
    faces_free(&faces);
    return 0;
  }
  if (wait_or_stop(ms, generation)) response_simple(out, "USER_CANCEL", USER_CANCEL_MSG);
  else serve_face(req, &faces, next_in_turn(faces.count), out);
  faces_free(&faces);
  return 0;
}
