#!/usr/bin/env bash
# Type-checks the desktop crate for Windows from a Linux machine:
#   cargo check -p sis-desktop --target x86_64-pc-windows-msvc
#
# `cargo check` never links, but ring's build script (the TLS library's C and assembly
# parts) still calls the MSVC C compiler and librarian, which Linux machines lack. It is
# handed stand-ins that leave empty outputs; nothing is ever linked from them. Every Rust
# crate, ours and the dependencies, is checked for real, and the Windows resource (icon,
# version) is still compiled with the host's preprocessor and llvm-rc. A Windows machine
# with the MSVC build tools needs none of this.
set -euo pipefail

stubs="$(mktemp -d)"
trap 'rm -rf "$stubs"' EXIT
cat > "$stubs/cl" <<'STUB'
#!/bin/sh
# Fails preprocessing, so cc-rs takes this for MSVC by its name; writes empty outputs.
[ "$1" = "-E" ] && exit 1
for arg in "$@"; do
    case "$arg" in
        -Fo*) : > "${arg#-Fo}" ;;
        -out:*) : > "${arg#-out:}" ;;
    esac
done
exit 0
STUB
chmod +x "$stubs/cl"
cp "$stubs/cl" "$stubs/lib"

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# The standard library for the target (a download of rustup's, once per machine).
if ! rustup target list --installed | grep -qx x86_64-pc-windows-msvc; then
    rustup target add x86_64-pc-windows-msvc
fi
CC_x86_64_pc_windows_msvc="$stubs/cl" AR_x86_64_pc_windows_msvc="$stubs/lib" \
    cargo check -p sis-desktop --target x86_64-pc-windows-msvc "$@"
