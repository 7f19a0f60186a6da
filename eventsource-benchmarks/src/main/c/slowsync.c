/*
 * Benchmark-only: makes every fsync/fdatasync of the process cost at least SLOWSYNC_MICROS
 * microseconds more (default 2000), to stand for a slow disk when measuring group commit. It
 * slows the library and the raw JDBC baselines alike; nothing of it is part of eventsource.
 *
 *   gcc -shared -fPIC -O2 -o libslowsync.so slowsync.c -ldl
 *   LD_PRELOAD=$PWD/libslowsync.so SLOWSYNC_MICROS=2000 java -jar target/benchmarks.jar ConcurrentAppend
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <time.h>

static void pause_for_sync(void) {
    const char *micros = getenv("SLOWSYNC_MICROS");
    long us = micros ? atol(micros) : 2000;
    struct timespec t = { us / 1000000, (us % 1000000) * 1000 };
    nanosleep(&t, NULL);
}

int fsync(int fd) {
    static int (*real)(int);
    if (!real) real = (int (*)(int)) dlsym(RTLD_NEXT, "fsync");
    pause_for_sync();
    return real(fd);
}

int fdatasync(int fd) {
    static int (*real)(int);
    if (!real) real = (int (*)(int)) dlsym(RTLD_NEXT, "fdatasync");
    pause_for_sync();
    return real(fd);
}
