/*
 * log.h: daemon logging to stderr, syslog(3) or a file, with levels.
 */
#ifndef AK_LOG_H
#define AK_LOG_H

#include <stdarg.h>
#include <syslog.h>

#include "compat.h"

enum log_dest {
	LOG_DEST_STDERR,
	LOG_DEST_SYSLOG,
	LOG_DEST_FILE
};

void	log_init(const char *ident);
void	log_to_stderr(void);
void	log_to_syslog(int facility);
int	log_to_file(const char *path);
enum log_dest log_destination(void);
void	log_set_level(int priority);
int	log_level(void);
void	log_close(void);

void	log_msg(int priority, const char *, ...) __printflike(2, 3);
void	log_vmsg(int priority, const char *, va_list) __printflike(2, 0);
void	log_warn(const char *, ...) __printflike(1, 2);
void	log_warnx(const char *, ...) __printflike(1, 2);
void	log_info(const char *, ...) __printflike(1, 2);
void	log_debug(const char *, ...) __printflike(1, 2);
__dead void fatal(const char *, ...) __printflike(1, 2);
__dead void fatalx(const char *, ...) __printflike(1, 2);

size_t	log_escape(char *dst, size_t dstsize, const char *src);

#endif /* AK_LOG_H */
