/* bench/peak.c: peak.c FILE CMD ARGS... runs CMD and writes its peak
 * resident memory (KB) to FILE.  bench/run.py measures memory through it:
 * a child forked from Python starts with Python's resident pages, and
 * ru_maxrss keeps that high-water mark across exec. */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: peak FILE CMD [ARGS...]\n");
        return 2;
    }
    pid_t pid = fork();
    if (pid == 0) {
        execvp(argv[2], argv + 2);
        perror(argv[2]);
        _exit(127);
    }
    int status;
    struct rusage use;
    if (pid < 0 || wait4(pid, &status, 0, &use) < 0) return 2;
    FILE *f = fopen(argv[1], "w");
    if (f) {
        fprintf(f, "%ld\n", use.ru_maxrss);
        fclose(f);
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
