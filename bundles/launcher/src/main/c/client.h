/* client.h - client mode: forwards one command line to the runtime's control socket. */
#ifndef LXJ_CLIENT_H
#define LXJ_CLIENT_H

#include <stddef.h>
#include <stdint.h>
#include <termios.h>

#define CLIENT_DEFAULT_SOCKET "/run/lxj/control.sock"

enum client_action { CLIENT_RUN, CLIENT_SHUTDOWN, CLIENT_PING };

/* What "lxj-launcher client [--fallback PROGRAM] [--ping | --shutdown | [--] COMMAND [ARG]...]" asks. */
struct client_options {
	enum client_action action;
	const char *fallback;   /* exec'd with the command line when no runtime listens, or NULL */
	int argc;               /* the command and its arguments (CLIENT_RUN) */
	char **argv;
};

/* The command line a REQUEST carries. */
struct client_request {
	int argc;
	char *const *argv;
	const char *cwd;        /* NULL: not sent */
	uint32_t tty;           /* LXJ_TTY_* mask */
	uint32_t width;
};

/* Parses the arguments after "client". Returns 0, or -1 with a message in err. */
int client_parse_args(int argc, char **argv, struct client_options *out, char *err, size_t errlen);

/* Writes the whole REQUEST frame into buf. Returns its length, or 0 when it does not fit or has no command. */
size_t client_encode_request(uint8_t *buf, size_t cap, const struct client_request *r);

/*
 * Reads the runtime's answer (one whole frame). Returns 0 with *status for STATUS, 1 with the message
 * for ERROR, -1 for anything else.
 */
int client_decode_reply(const uint8_t *buf, size_t len, int *status, char *msg, size_t msglen);

/* Writes an empty WINCH frame into buf. Returns its length, or 0 when it does not fit. */
size_t client_encode_winch(uint8_t *buf, size_t cap);

/* The terminal settings of fds 0-2, saved before a command runs and put back whenever the client exits. */
struct client_terminals {
	int saved[3];           /* 1: tio[i] holds the settings of fd i, a terminal */
	struct termios tio[3];
};

/* Saves the settings of each of fds[0..n) (n <= 3) that is a terminal. Returns how many were saved. */
int client_save_terminals(struct client_terminals *t, const int *fds, int n);

/* Puts back what client_save_terminals saved (TCSANOW: never waits for output to drain). */
void client_restore_terminals(const struct client_terminals *t, const int *fds, int n);

/* The client: argv[0] is "client". Returns the exit code (the command's status). */
int client_main(int argc, char **argv);

/*
 * Whether argv0 names the command line's entry (bin/lxj, or a link to it by any name): 1 unless its last component
 * starts with "lxj-launcher", the name the runtime spawns the launcher under, or argv0 is NULL.
 */
int lxj_is_entry_name(const char *argv0);

/*
 * "lxj" mode (the distribution's bin/lxj is this binary): whether the command line is one the JVM runtime's script
 * runs itself (no arguments, -c, -h, --help, --version, --daemon, daemon, shutdown) or LXJ_NO_DAEMON is set
 * (no_daemon: its value, NULL when unset). Returns 1 for the script, 0 for the client.
 */
int lxj_wants_script(int argc, char *const *argv, const char *no_daemon);

/*
 * The JVM runtime's script for the binary at exe (an absolute path): "<exe's directory>/../libexec/lxj.sh".
 * Returns 0, or -1 when exe has no directory or the result does not fit in cap.
 */
int lxj_script_path(const char *exe, char *out, size_t cap);

/*
 * bin/lxj: a command goes to the daemon through the client, which runs the script (with LXJ_NO_DAEMON=1) when no
 * daemon listens; the script's own commands go straight to it. Returns only on failure, with the exit code.
 */
int lxj_main(int argc, char **argv);

#endif
