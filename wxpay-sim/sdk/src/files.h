/* Whole-file reads and writes for the faces and script files. */
#ifndef SIM_FILES_H
#define SIM_FILES_H

#include <stddef.h>

/*
 * Reads a whole file named by a UTF-8 path into malloc'd memory (NUL-terminated for convenience).
 * Returns NULL with a static description of the failure in *why.
 */
char *sim_read_file(const char *path, size_t *size, const char **why);
/* Replaces the file's content; 0 on success, else -1 with a static description in *why. */
int sim_write_file(const char *path, const char *data, size_t size, const char **why);

#endif
