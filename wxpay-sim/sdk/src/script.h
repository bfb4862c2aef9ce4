/*
 * The camera script: WXPAYFACE_SIM_SCRIPT names a file whose first line each face step removes and obeys.
 * Blank lines and '#' comments before it are removed with it. No variable, no file or no line left:
 * SCRIPT_NONE (faces in turn after WXPAYFACE_SIM_DELAY_MS).
 */
#ifndef SIM_SCRIPT_H
#define SIM_SCRIPT_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
  SCRIPT_NONE,
  SCRIPT_FACE,     /* face N: the N-th face (1-based), at once */
  SCRIPT_CANCEL,   /* cancel: USER_CANCEL */
  SCRIPT_ERROR,    /* error CODE MESSAGE...: that return_code and return_msg verbatim */
  SCRIPT_SLOW,     /* slow MS: wait MS (stoppable), then the next face in turn */
  SCRIPT_HANG,     /* hang: never return, even when stopped */
  SCRIPT_CRASH,    /* crash: abort() the process */
  SCRIPT_CALLFAIL, /* callfail: return -1 without a response */
  SCRIPT_BIG,      /* big N: success with a nickname of N bytes */
  SCRIPT_FORGET,   /* forget: the service lost the session (not initialised) */
  SCRIPT_INVALID   /* a line not understood, or the file could not be rewritten: message in text */
} ScriptKind;

typedef struct {
  ScriptKind kind;
  int64_t number;  /* FACE: index; SLOW: milliseconds; BIG: bytes */
  char code[64];   /* ERROR */
  char text[512];  /* ERROR: the message; INVALID: what was wrong */
} ScriptStep;

/* Removes the first line of the script file and says what it asks for. Call with the sim lock held. */
void script_next(ScriptStep *step);

#endif
