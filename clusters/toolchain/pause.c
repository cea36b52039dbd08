/*
 * pause: the process that holds a pod sandbox's namespaces open.
 *
 * kube-netconform's own minimal implementation for offline node images.
 * It sleeps until SIGINT or SIGTERM arrives and then exits 0.  When it runs
 * as PID 1 of a PID namespace it also reaps every child that is re-parented
 * to it, so no zombies pile up.
 *
 * Build: gcc -static -Os -o pause pause.c
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef KNC_PAUSE_VERSION
#define KNC_PAUSE_VERSION "dev"
#endif

static volatile sig_atomic_t stop_requested;

static void on_stop(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static void on_child(int sig)
{
    int saved = errno;
    (void)sig;
    while (waitpid(-1, NULL, WNOHANG) > 0) {
        /* keep reaping until no exited child is left */
    }
    errno = saved;
}

static int install(int sig, void (*handler)(int))
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = handler;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = (sig == SIGCHLD) ? (SA_RESTART | SA_NOCLDSTOP) : 0;
    return sigaction(sig, &sa, NULL);
}

int main(int argc, char **argv)
{
    sigset_t blocked, previous;

    if (argc > 1 && (strcmp(argv[1], "-v") == 0 || strcmp(argv[1], "--version") == 0)) {
        printf("pause (kube-netconform) %s\n", KNC_PAUSE_VERSION);
        return 0;
    }
    if (getpid() != 1) {
        fprintf(stderr, "pause: warning: not running as PID 1\n");
    }
    if (install(SIGINT, on_stop) != 0 || install(SIGTERM, on_stop) != 0 ||
        install(SIGCHLD, on_child) != 0) {
        perror("pause: sigaction");
        return 2;
    }

    /* Block the stop signals while checking the flag, then wait for any
     * signal atomically with sigsuspend so none is lost in between. */
    sigemptyset(&blocked);
    sigaddset(&blocked, SIGINT);
    sigaddset(&blocked, SIGTERM);
    sigaddset(&blocked, SIGCHLD);
    if (sigprocmask(SIG_BLOCK, &blocked, &previous) != 0) {
        perror("pause: sigprocmask");
        return 2;
    }
    while (!stop_requested) {
        sigsuspend(&previous);
    }
    return 0;
}
