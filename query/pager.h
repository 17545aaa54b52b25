#ifndef PT_PAGER_H
#define PT_PAGER_H
/*
 * Long output on a terminal goes through a pager, as git and journalctl do
 * it: $PAGER, else "less" with LESS=FRSX unless LESS is set (quit if one
 * screen, colours, chop long lines, no screen clearing).  An empty $PAGER
 * or "cat" means none.
 */

/* Start the pager and make it stdout.  Returns 1, 0 when there is none,
 * or -errno (output stays on the terminal). */
int pager_start(void);

/* Close stdout to the pager and wait for it to quit. */
void pager_end(void);
#endif
