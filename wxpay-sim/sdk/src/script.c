#include "script.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "files.h"
#include "platform.h"

/* Largest `big N`: enough for output-size tests, small enough not to exhaust a test machine. */
#define BIG_MAX (256LL * 1024 * 1024)

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

/* Parses a whole non-negative decimal token; -1 when it is not one. */
static int64_t parse_count(const char *s, size_t len) {
  if (len == 0 || len > 12) return -1;
  int64_t v = 0;
  for (size_t i = 0; i < len; i++) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

static void invalid(ScriptStep *step, const char *line) {
  step->kind = SCRIPT_INVALID;
  snprintf(step->text, sizeof step->text,
           "WXPAYFACE_SIM_SCRIPT line not understood: \"%.200s\" (expected face N, cancel, error CODE MESSAGE, "
           "slow MS, hang, crash, callfail, big N or forget)",
           line);
}

static void interpret(ScriptStep *step, char *line) {
  char *word = line, *rest = line;
  while (*rest && !is_space(*rest)) rest++;
  size_t word_len = (size_t)(rest - word);
  while (*rest && is_space(*rest)) rest++;
  char *arg_end = rest;
  while (*arg_end && !is_space(*arg_end)) arg_end++;
  size_t arg_len = (size_t)(arg_end - rest);
  char *after = arg_end;
  while (*after && is_space(*after)) after++;
  int one_arg = arg_len > 0 && *after == '\0';
#define WORD(w) (word_len == strlen(w) && memcmp(word, w, word_len) == 0)
  if (WORD("cancel") && arg_len == 0) step->kind = SCRIPT_CANCEL;
  else if (WORD("hang") && arg_len == 0) step->kind = SCRIPT_HANG;
  else if (WORD("crash") && arg_len == 0) step->kind = SCRIPT_CRASH;
  else if (WORD("callfail") && arg_len == 0) step->kind = SCRIPT_CALLFAIL;
  else if (WORD("forget") && arg_len == 0) step->kind = SCRIPT_FORGET;
  else if (WORD("error") && arg_len > 0 && arg_len < sizeof step->code) {
    step->kind = SCRIPT_ERROR;
    memcpy(step->code, rest, arg_len);
    step->code[arg_len] = '\0';
    snprintf(step->text, sizeof step->text, "%s", after);
  } else if ((WORD("face") || WORD("slow") || WORD("big")) && one_arg) {
    step->number = parse_count(rest, arg_len);
    step->kind = WORD("face") ? SCRIPT_FACE : WORD("slow") ? SCRIPT_SLOW : SCRIPT_BIG;
    if (step->number < 0 || (step->kind == SCRIPT_FACE && step->number == 0) ||
        (step->kind == SCRIPT_BIG && step->number > BIG_MAX)) {
      invalid(step, line);
    }
  } else {
    invalid(step, line);
  }
#undef WORD
}

void script_next(ScriptStep *step) {
  memset(step, 0, sizeof *step);
  step->kind = SCRIPT_NONE;
  char *path = sim_getenv("WXPAYFACE_SIM_SCRIPT");
  if (!path || !*path) {
    free(path);
    return;
  }
  size_t size;
  const char *why = "";
  char *text = sim_read_file(path, &size, &why);
  if (!text) {
    /* A script that is not there yet is an empty one; one we cannot read is an error. */
    if (strcmp(why, "no such file") != 0) {
      step->kind = SCRIPT_INVALID;
      snprintf(step->text, sizeof step->text, "cannot read the WXPAYFACE_SIM_SCRIPT file %.200s: %s", path, why);
    }
    free(path);
    return;
  }
  char *command = NULL, *rest = NULL;
  for (char *p = text; *p && !command;) {
    char *newline = strchr(p, '\n');
    char *line_end = newline ? newline : p + strlen(p);
    char *after = newline ? newline + 1 : line_end;
    char *start = p, *end = line_end;
    while (start < end && is_space(*start)) start++;
    while (end > start && is_space(end[-1])) end--;
    if (start < end && *start != '#') {
      *end = '\0';
      command = start;
      rest = after;
    }
    p = after;
  }
  if (command) {
    interpret(step, command);
    if (sim_write_file(path, rest, size - (size_t)(rest - text), &why) != 0) {
      step->kind = SCRIPT_INVALID;
      snprintf(step->text, sizeof step->text, "cannot rewrite the WXPAYFACE_SIM_SCRIPT file %.200s: %s", path, why);
    }
  }
  free(text);
  free(path);
}
