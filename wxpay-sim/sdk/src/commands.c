#include "commands.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "authinfo.h"
#include "camera.h"
#include "env.h"
#include "json.h"
#include "platform.h"
#include "response.h"
#include "session.h"

#define CLOCK_SKEW_S 300
#define AUTHINFO_ERROR "AuthInfo License Error"

static void param_error(Buf *out, const char *fmt, const char *field) {
  char msg[160];
  snprintf(msg, sizeof msg, fmt, field);
  response_simple(out, "PARAM_ERROR", msg);
}

/*
 * The string member `name`: NULL with a PARAM_ERROR written when it is required and missing, or present
 * and not a string, or holds a NUL character (which would cut it short in C); *failed says which.
 */
static const char *string_field(const JsonObject *req, const char *name, int required, Buf *out, int *failed) {
  const JsonValue *v = json_get(req, name);
  *failed = 0;
  if (!v) {
    if (required) {
      param_error(out, "Missing %s", name);
      *failed = 1;
    }
    return NULL;
  }
  if (v->kind != J_STRING || strlen(v->str) != v->len) {
    param_error(out, v->kind != J_STRING ? "Invalid %s: must be a string" : "Invalid %s: contains a NUL character",
                name);
    *failed = 1;
    return NULL;
  }
  if (required && v->len == 0) {
    param_error(out, "Missing %s: must not be empty", name);
    *failed = 1;
    return NULL;
  }
  return v->str;
}

/* An optional integer member limited to [lo, hi]; 0 when absent or valid. */
static int int_field(const JsonObject *req, const char *name, int64_t lo, int64_t hi, Buf *out) {
  const JsonValue *v = json_get(req, name);
  if (!v) return 0;
  if (v->kind != J_NUMBER || !v->is_int || v->integer < lo || v->integer > hi) {
    char msg[160];
    snprintf(msg, sizeof msg, "Invalid %s: must be an integer from %lld to %lld", name, (long long)lo, (long long)hi);
    response_simple(out, "PARAM_ERROR", msg);
    return -1;
  }
  return 0;
}

static int valid_port(const char *port) {
  size_t n = strlen(port);
  if (n < 1 || n > 5) return 0;
  for (size_t i = 0; i < n; i++) {
    if (port[i] < '0' || port[i] > '9') return 0;
  }
  return atoi(port) <= 65535;
}

static void cmd_init(const JsonObject *req, Buf *out) {
  static const char *const strings[] = {"ip", "port", "user", "passwd"};
  int failed;
  for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++) {
    string_field(req, strings[i], 0, out, &failed);
    if (failed) return;
  }
  const char *port = string_field(req, "port", 0, out, &failed);
  if (port && !valid_port(port)) {
    response_simple(out, "PARAM_ERROR", "Invalid port: must be digits (0-65535)");
    return;
  }
  if (int_field(req, "proxy_type", 0, 3, out) != 0) return;
  if (int_field(req, "camera_rotation", 1, 3, out) != 0) return;
  char err[160];
  long long init_ms;
  if (env_ms("WXPAYFACE_SIM_INIT_MS", 0, &init_ms, err, sizeof err) != 0) {
    response_simple(out, "SYSTEMERROR", err);
    return;
  }
  /* Like the vendor's: "initialising, call init again in about 500 ms" until the service is ready. */
  if (session_init(init_ms) == SESSION_READY) response_simple(out, "SUCCESS", "SUCCESS");
  else session_error(out, ERR_INITIALISING);
}

static char *serial_from_env(void) {
  char *serial = sim_getenv("WXPAYFACE_SIM_SERIAL");
  if (!serial || !*serial) {
    free(serial);
    serial = malloc(sizeof SIM_DEFAULT_SERIAL);
    if (serial) memcpy(serial, SIM_DEFAULT_SERIAL, sizeof SIM_DEFAULT_SERIAL);
  }
  return serial;
}

static void cmd_rawdata(int64_t now, Buf *out) {
  char err[160];
  long long delay_ms;
  if (env_ms("WXPAYFACE_SIM_RAWDATA_MS", 0, &delay_ms, err, sizeof err) != 0) {
    response_simple(out, "SYSTEMERROR", err);
    return;
  }
  /* A slow or hung WxpayFaceService: the call blocks its caller's thread, like the vendor's. */
  if (delay_ms > 0) sim_sleep_ms(delay_ms);
  char *serial = serial_from_env();
  if (!serial || strchr(serial, '|')) {
    response_simple(out, "SYSTEMERROR", serial ? "WXPAYFACE_SIM_SERIAL must not contain \"|\"" : "out of memory");
    free(serial);
    return;
  }
  char *rawdata = rawdata_make(serial, now);
  free(serial);
  if (!rawdata) {
    response_simple(out, "SYSTEMERROR", "cannot make rawdata (no randomness or memory)");
    return;
  }
  response_open(out, "SUCCESS", "SUCCESS");
  buf_json_field(out, "rawdata", rawdata);
  response_close(out);
  free(rawdata);
}

/* 0, or -1 when the scripted camera asks for a failed call. */
static int cmd_user_info(const JsonObject *req, Buf *out) {
  static const char *const optional[] = {"sub_appid", "sub_mch_id", "ask_unionid", "screen_index", "use_window_nofocus"};
  int failed;
  const char *appid = string_field(req, "appid", 1, out, &failed);
  if (failed) return 0;
  const char *mch_id = string_field(req, "mch_id", 1, out, &failed);
  if (failed) return 0;
  const char *store_id = string_field(req, "store_id", 1, out, &failed);
  if (failed) return 0;
  const char *authtype = string_field(req, "face_authtype", 1, out, &failed);
  if (failed) return 0;
  if (strcmp(authtype, "FACEID-ONCE") != 0) {
    response_simple(out, "PARAM_ERROR", "Invalid face_authtype: must be FACEID-ONCE");
    return 0;
  }
  const char *authinfo = string_field(req, "authinfo", 1, out, &failed);
  if (failed) return 0;
  for (size_t i = 0; i < sizeof optional / sizeof optional[0]; i++) {
    string_field(req, optional[i], 0, out, &failed);
    if (failed) return 0;
  }
  const char *ask_unionid = string_field(req, "ask_unionid", 0, out, &failed);
  if (ask_unionid && strcmp(ask_unionid, "0") != 0 && strcmp(ask_unionid, "1") != 0) {
    response_simple(out, "PARAM_ERROR", "Invalid ask_unionid: must be \"0\" or \"1\"");
    return 0;
  }

  char *serial = serial_from_env();
  char *secret = sim_getenv("WXPAYFACE_SIM_SECRET");
  AuthBinding binding = {serial ? serial : "", appid, mch_id, store_id};
  AuthCheck check = authinfo_verify(authinfo, strlen(authinfo), &binding,
                                    secret && *secret ? secret : SIM_DEFAULT_SECRET, sim_unix_now());
  free(serial);
  free(secret);
  if (check != AUTH_OK) {
    response_simple(out, "PARAM_ERROR", AUTHINFO_ERROR);
    return 0;
  }

  IdentifyRequest identify = {string_field(req, "sub_appid", 0, out, &failed), ask_unionid && *ask_unionid == '1'};
  return camera_identify(&identify, out);
}

/* 1 when WXPAYFACE_SIM_SERVICE_DOWN says WxpayFaceService is not running (the answer is written). */
static int service_unreachable(Buf *out) {
  char err[160];
  int down;
  if (env_switch("WXPAYFACE_SIM_SERVICE_DOWN", &down, err, sizeof err) != 0) {
    response_simple(out, "SYSTEMERROR", err);
    return 1;
  }
  if (!down) return 0;
  /* No pipe, no service: whatever the request, the SDK cannot reach a session (see README: an assumption). */
  session_end();
  session_error(out, ERR_NOT_INITIALISED);
  return 1;
}

int commands_handle(const char *text, size_t len, Buf *out) {
  if (service_unreachable(out)) return 0;
  JsonObject req;
  if (json_parse_object(text, len, &req) != 0) {
    response_simple(out, "PARAM_ERROR", "Invalid Json");
    return 0;
  }
  const JsonValue *cmd = json_get(&req, "cmd");
  const char *name = cmd && cmd->kind == J_STRING ? cmd->str : "";
  enum { INIT, RAWDATA, USER_INFO, RELEASE, STOP, UNKNOWN } which =
      strcmp(name, "initWxpayface") == 0          ? INIT
      : strcmp(name, "getWxpayfaceRawdata") == 0  ? RAWDATA
      : strcmp(name, "getWxpayfaceUserInfo") == 0 ? USER_INFO
      : strcmp(name, "releaseWxpayface") == 0     ? RELEASE
      : strcmp(name, "stopWxpayface") == 0        ? STOP
                                                  : UNKNOWN;
  if (cmd && cmd->kind == J_STRING && strlen(cmd->str) != cmd->len) which = UNKNOWN;
  const JsonValue *version = json_get(&req, "version");
  const JsonValue *now = json_get(&req, "now");
  int64_t clock = sim_unix_now();
  SessionState session = session_state();
  int result = 0;
  if (which == UNKNOWN) {
    response_simple(out, "PARAM_ERROR", "Unknown Cmd");
  } else if (!version || version->kind != J_STRING || strcmp(version->str, "1") != 0 || version->len != 1) {
    response_simple(out, "PARAM_ERROR", version ? "Invalid version: must be \"1\"" : "Missing version");
  } else if (!now || now->kind != J_NUMBER || !now->is_int) {
    response_simple(out, "PARAM_ERROR", now ? "Invalid now: must be an integer (unix seconds)" : "Missing now");
  } else if (now->integer < clock - CLOCK_SKEW_S || now->integer > clock + CLOCK_SKEW_S) {
    response_simple(out, "PARAM_ERROR", "Invalid now: more than 5 minutes from the terminal's clock");
  } else if ((which == RAWDATA || which == USER_INFO) && session != SESSION_READY) {
    session_error(out, session == SESSION_STARTING ? ERR_INITIALISING : ERR_NOT_INITIALISED);
  } else {
    switch (which) {
      case INIT: cmd_init(&req, out); break;
      case RAWDATA: cmd_rawdata(now->integer, out); break;
      case USER_INFO: result = cmd_user_info(&req, out); break;
      case RELEASE:
        session_end();
        response_simple(out, "SUCCESS", "SUCCESS");
        break;
      case STOP:
        camera_stop();
        response_simple(out, "SUCCESS", "SUCCESS");
        break;
      case UNKNOWN: break;
    }
  }
  json_free(&req);
  return result;
}
