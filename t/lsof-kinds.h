/*
 * lsof-kinds.h: the lsof fixture's descriptors of every kind (-W).
 */
#ifndef AK_T_LSOF_KINDS_H
#define AK_T_LSOF_KINDS_H

/* Open every kind under dir; write dir/kinds.  -1 if that fails. */
int	kinds_open(const char *);
/* Remove what outlives the process (message queue names). */
void	kinds_cleanup(void);

#endif /* AK_T_LSOF_KINDS_H */
