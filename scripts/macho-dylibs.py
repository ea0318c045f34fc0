#!/usr/bin/env python3
"""Checks a release binary for macOS, which cannot run here (no Mac).

    macho-dylibs.py FILE ARCH MINOS   ARCH: x86_64 or arm64; MINOS: the newest
                                      macOS it may require (e.g. 11.0)

Parses the Mach-O header itself (no Apple tools on Linux): a thin 64-bit
executable (MH_EXECUTE) of ARCH, asking for no macOS newer than MINOS
(LC_BUILD_VERSION / LC_VERSION_MIN_MACOSX), and every dynamic library it
loads. Fails (exit 1) on anything but the libraries every macOS has in
/usr/lib: a framework, or a path of the build machine, would fail to load on
a user's Mac. Prints one line per library.

Also checks the ad-hoc code signature (LC_CODE_SIGNATURE): macOS on Apple
silicon kills an arm64 executable without a valid one, so for arm64 it must
be present, and each page's SHA-256 in it must match the file as shipped
(stripping after the linker signed would break it).
"""

import hashlib
import struct
import sys

MH_MAGIC_64 = 0xFEEDFACF
MH_EXECUTE = 2
CPU = {"x86_64": 0x01000007, "arm64": 0x0100000C}
LC_REQ_DYLD = 0x80000000
DYLIB_COMMANDS = {
    0x0C: "LC_LOAD_DYLIB",
    0x18 | LC_REQ_DYLD: "LC_LOAD_WEAK_DYLIB",
    0x1F | LC_REQ_DYLD: "LC_REEXPORT_DYLIB",
    0x20: "LC_LAZY_LOAD_DYLIB",
    0x23 | LC_REQ_DYLD: "LC_LOAD_UPWARD_DYLIB",
}
LC_CODE_SIGNATURE = 0x1D
LC_VERSION_MIN_MACOSX = 0x24
LC_BUILD_VERSION = 0x32
# In /usr/lib on every macOS release Rust supports (the dyld shared cache
# serves them; libSystem is the C library, libiconv and libresolv are what
# Rust's std and libc may name; zig's libiconv stub also names libcharset,
# which Apple's libiconv project installs beside it).
SYSTEM_LIBRARIES = {
    "/usr/lib/libSystem.B.dylib",
    "/usr/lib/libiconv.2.dylib",
    "/usr/lib/libcharset.1.dylib",
    "/usr/lib/libresolv.9.dylib",
    "/usr/lib/libc++.1.dylib",
    "/usr/lib/libobjc.A.dylib",
}


def version(v):
    return f"{v >> 16}.{(v >> 8) & 0xFF}.{v & 0xFF}"


def check_signature(data, dataoff, datasize):
    """Problems with the code signature at data[dataoff:dataoff+datasize]:
    the CodeDirectory's page hashes against the file."""
    blob = data[dataoff : dataoff + datasize]
    magic, _length, count = struct.unpack_from(">III", blob, 0)
    if magic != 0xFADE0CC0:
        return [f"code signature is not an embedded signature (magic {magic:#x})"], None
    for i in range(count):
        slot, off = struct.unpack_from(">II", blob, 12 + 8 * i)
        if slot != 0:  # CSSLOT_CODEDIRECTORY
            continue
        (cd_magic, _len, _ver, flags, hash_off, _ident, _nspecial, ncode, code_limit,
         hash_size, hash_type, _platform, page_log2) = struct.unpack_from(">IIIIIIIIIBBBB", blob, off)
        if cd_magic != 0xFADE0C02:
            return [f"CodeDirectory magic {cd_magic:#x}"], None
        algo = {1: hashlib.sha1, 2: hashlib.sha256}.get(hash_type)
        if algo is None:
            return [f"unknown hash type {hash_type}"], None
        page = 1 << page_log2
        bad = 0
        for n in range(ncode):
            chunk = data[n * page : min((n + 1) * page, code_limit)]
            stored = blob[off + hash_off + n * hash_size : off + hash_off + (n + 1) * hash_size]
            if algo(chunk).digest()[:hash_size] != stored:
                bad += 1
        kind = "ad-hoc" if flags & 0x2 else f"flags {flags:#x}"
        summary = f"{kind}, {ncode} pages of {page} bytes, {algo().name}"
        if bad:
            return [f"code signature: {bad} of {ncode} page hashes do not match the file"], summary
        return [], summary
    return ["code signature has no CodeDirectory"], None


def main():
    path, arch, max_minos = sys.argv[1], sys.argv[2], sys.argv[3]
    data = open(path, "rb").read()
    problems = []
    if len(data) < 32:
        sys.exit(f"{path}: too short for a Mach-O header")
    magic, cputype, _sub, filetype, ncmds, _sizeofcmds, _flags, _res = struct.unpack_from(
        "<IiiIIIII", data, 0
    )
    if magic != MH_MAGIC_64:
        sys.exit(f"{path}: not a thin 64-bit little-endian Mach-O file (magic {magic:#x})")
    if cputype != CPU[arch]:
        problems.append(f"CPU type {cputype:#x}, not {arch} ({CPU[arch]:#x})")
    if filetype != MH_EXECUTE:
        problems.append(f"file type {filetype}, not an executable (MH_EXECUTE)")
    offset = 32
    dylibs = []
    minos = None
    signature = None
    for _ in range(ncmds):
        cmd, cmdsize = struct.unpack_from("<II", data, offset)
        if cmd in DYLIB_COMMANDS:
            (name_offset,) = struct.unpack_from("<I", data, offset + 8)
            raw = data[offset + name_offset : offset + cmdsize]
            dylibs.append((DYLIB_COMMANDS[cmd], raw.split(b"\0", 1)[0].decode()))
        elif cmd == LC_BUILD_VERSION:
            _platform, minos_raw = struct.unpack_from("<II", data, offset + 8)
            minos = version(minos_raw)
        elif cmd == LC_CODE_SIGNATURE:
            signature = struct.unpack_from("<II", data, offset + 8)
        elif cmd == LC_VERSION_MIN_MACOSX and minos is None:
            (minos_raw,) = struct.unpack_from("<I", data, offset + 8)
            minos = version(minos_raw)
        offset += cmdsize
    print(f"{path}: Mach-O 64-bit executable {arch}, macOS >= {minos or 'unknown'}")
    as_tuple = lambda v: tuple(int(x) for x in (v.split(".") + ["0", "0"])[:3])
    if minos is None:
        problems.append("no minimum macOS version (LC_BUILD_VERSION)")
    elif as_tuple(minos) > as_tuple(max_minos):
        problems.append(f"requires macOS {minos}, newer than {max_minos}")
    if signature is None:
        print("  code signature: none")
        if arch == "arm64":
            problems.append("no code signature: Apple silicon refuses to run it")
    else:
        sig_problems, summary = check_signature(data, *signature)
        print(f"  code signature: {summary or 'unreadable'}{'' if not sig_problems else ' <- INVALID'}")
        problems.extend(sig_problems)
    if not dylibs:
        problems.append("loads no dynamic library (not even libSystem): not a normal macOS executable")
    for kind, name in dylibs:
        system = name in SYSTEM_LIBRARIES
        print(f"  {kind:<20} {name}{'' if system else '   <- NOT a library every macOS has'}")
        if not system:
            problems.append(f"links {name}")
    if problems:
        sys.exit(f"{path}: " + "; ".join(problems))


if __name__ == "__main__":
    main()
