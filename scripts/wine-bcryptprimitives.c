/* For `make release-check` only, never shipped: Wine 8 (Debian 12) has no
 * bcryptprimitives.dll, which Windows 10 and later have and Rust's standard
 * library imports for ProcessPrng (its random numbers). This stand-in,
 * built with zig into the check's own Wine prefix, does what Windows' does:
 * fill the buffer from the system RNG (BCryptGenRandom, which Wine has). */
#include <windows.h>
#include <bcrypt.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    while (len > 0) {
        ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        if (BCryptGenRandom(NULL, data, n, BCRYPT_USE_SYSTEM_PREFERRED_RNG) != 0) {
            return FALSE;
        }
        data += n;
        len -= n;
    }
    return TRUE;
}
