/*
 * console.h - the container's console and ttys (LXJ_ATTR_CONSOLE): the monitor allocates every pty from the
 * host's /dev/ptmx before the clone, init binds the slaves onto /dev/console and /dev/ttyN, and from the clone on the
 * monitor reads the console master into its ring buffer, log file and viewers (monitor.sock "console").
 */
#ifndef LXJ_CONSOLE_H
#define LXJ_CONSOLE_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>

#include "plan.h"

/* The most viewers the monitor serves at once (all ttys and the console together). */
#define CONSOLE_MAX_VIEWERS 16
/* The largest frame a viewer may send (keystrokes are split into frames of at most this much). */
#define CONSOLE_MAX_FRAME 4096
/* The ring kept without lxc.console.buffer.size, only for "replay" viewers (lxc-start -F) */
#define CONSOLE_REPLAY_DEFAULT 16384

/*
 * Monitor, before the clone: allocates the console and tty ptys, sets the console's window size, gives the
 * slaves to the container's root, opens the log file and the ring buffer, and copies what it needs from the
 * plan (the plan's pages are released later). Returns 0 (also without a console attribute), or -1 with errno
 * and err set.
 */
int console_open(const struct plan *p, char *err, size_t errlen);

/* Monitor, after the clone: closes what only init needed (the detached slave mounts). */
void console_after_clone(void);

/*
 * Init, after /dev is set up and before the pivot: verifies each slave, binds it onto /dev/console and
 * /dev/ttyN (or into /dev/<tty dir> with symlinks), makes the console init's controlling terminal and stdio
 * (or /dev/null the stdio without a console), and closes every other console descriptor. Returns 0 or -1 with
 * errno and err set.
 */
int console_child(const struct plan *p, int rootfd, char *err, size_t errlen);

/* Whether a console log is written (the monitor then stays unconfined: rotation creates files beside it). */
int console_has_log(void);

/* The most pollfds console_pollfds adds. */
size_t console_max_pollfds(void);

/* Adds the masters to read and the viewers to pf; returns how many were added. */
size_t console_pollfds(struct pollfd *pf);

/* Handles the events of the pollfds console_pollfds added (same order, n of them). */
void console_events(const struct pollfd *pf, size_t n);

/*
 * A monitor.sock request line: "console <tty> <rows> <cols> [replay]" or "console-buffer". Returns -1 when the line is
 * not a console request, 0 when it was answered with an error (the caller keeps the connection), 1 when the
 * console took the connection over (extra: bytes that followed the line, already the viewer's input).
 */
int console_request(int fd, const char *line, const uint8_t *extra, size_t extra_len);

/* Reads what the console master still holds (init has exited), then closes every viewer: they see EOF. */
void console_shutdown(void);

#endif
