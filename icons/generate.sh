#!/usr/bin/env bash
# Renders every application icon from the one source image, icon.svg.
#
# Needs rsvg-convert (Debian: librsvg2-bin) for the PNGs, ImageMagick's `convert` for the .ico
# and python3 for the .icns. Run it from anywhere after editing icon.svg, and commit the
# outputs: the desktop build reads them, and they are small.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="$here/icon.svg"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# ImageMagick 6 installs as `convert`; some machines shadow it with something else on PATH.
convert_bin=/usr/bin/convert
[ -x "$convert_bin" ] || convert_bin="$(command -v convert)"

render() { # size, output
    rsvg-convert --width "$1" --height "$1" --keep-aspect-ratio "$src" --output "$work/raw.png"
    # PNG32: the bundler and the window icon loader accept RGBA only, never palette or RGB.
    "$convert_bin" "$work/raw.png" -strip "PNG32:$2"
}

render 32 "$here/32x32.png"
render 128 "$here/128x128.png"
render 256 "$here/128x128@2x.png"
render 512 "$here/icon.png"

# Windows: one .ico holding every size the shell asks for, from the taskbar to large tiles.
ico_parts=()
for size in 16 24 32 48 64 128 256; do
    render "$size" "$work/ico-$size.png"
    ico_parts+=("$work/ico-$size.png")
done
"$convert_bin" "${ico_parts[@]}" "$here/icon.ico"

# macOS: .icns is a list of (type, length, PNG) chunks; no packaged tool writes it on Linux.
for size in 32 64 128 256 512 1024; do
    render "$size" "$work/icns-$size.png"
done
python3 - "$work" "$here/icon.icns" <<'PY'
import struct, sys
work, out = sys.argv[1], sys.argv[2]
# Chunk type -> pixel size; the @2x types reuse the larger renderings.
types = [("ic11", 32), ("ic12", 64), ("ic07", 128), ("ic13", 256),
         ("ic08", 256), ("ic14", 512), ("ic09", 512), ("ic10", 1024)]
chunks = b""
for kind, size in types:
    with open(f"{work}/icns-{size}.png", "rb") as f:
        png = f.read()
    chunks += kind.encode() + struct.pack(">I", 8 + len(png)) + png
with open(out, "wb") as f:
    f.write(b"icns" + struct.pack(">I", 8 + len(chunks)) + chunks)
PY

file "$here"/*.png "$here"/icon.ico "$here"/icon.icns
