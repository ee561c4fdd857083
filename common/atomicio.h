/*
 * atomicio.h: read(2) and write(2) to completion.
 *
 * Both loop across EINTR and short counts, as OpenSSH's atomicio() does,
 * so that a caller never has to.  atomicio_write() returns len or -1 with
 * errno set (EIO when the descriptor accepts nothing more);
 * atomicio_read() returns the bytes read, short only at end of file, or
 * -1.  Neither waits on a non-blocking descriptor: EAGAIN is returned as
 * an error for the caller's poll loop to handle.
 */
#ifndef AK_ATOMICIO_H
#define AK_ATOMICIO_H

#include <sys/types.h>
#include <stddef.h>

ssize_t	atomicio_write(int fd, const void *, size_t len);
ssize_t	atomicio_read(int fd, void *, size_t len);

#endif /* AK_ATOMICIO_H */
