/*
 * The scripted camera behind getWxpayfaceUserInfo: faces from WXPAYFACE_SIM_FACES, steps from
 * WXPAYFACE_SIM_SCRIPT, waits of WXPAYFACE_SIM_DELAY_MS that stopWxpayface interrupts.
 */
#ifndef SIM_CAMERA_H
#define SIM_CAMERA_H

#include "buf.h"

typedef struct {
  const char *sub_appid; /* NULL or "" when not given */
  int ask_unionid;
} IdentifyRequest;

/* Runs one face step and writes its response; returns -1 (and writes nothing) for a scripted callfail. */
int camera_identify(const IdentifyRequest *req, Buf *out);

/* stopWxpayface: ends every face step in progress with USER_CANCEL. */
void camera_stop(void);

#endif
