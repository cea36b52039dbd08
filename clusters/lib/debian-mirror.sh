# shellcheck shell=bash
# Sourced by the image builders: finds the Debian archive this machine already uses, so that
# debootstrap and apt inside images use the same mirror as the host (the project writes no
# mirror address of its own). KNC_DEBIAN_MIRROR / KNC_DEBIAN_SECURITY_MIRROR override it.
#
# Sets DEBIAN_MIRROR (the main archive) and DEBIAN_SECURITY_MIRROR (may be empty).

# Prints the URIs of the machine's apt sources, one per line: deb822 files and one-line lists.
_knc_apt_uris() {
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f $f ]] && awk 'tolower($1) == "uris:" { for (i = 2; i <= NF; i++) print $i }' "$f"
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f $f ]] && awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; break } }' "$f"
  done
}

_knc_uris=$(_knc_apt_uris 2>/dev/null || true)
DEBIAN_MIRROR=${KNC_DEBIAN_MIRROR:-$(grep -E '/debian/?$' <<<"$_knc_uris" | head -n1 || true)}
DEBIAN_SECURITY_MIRROR=${KNC_DEBIAN_SECURITY_MIRROR:-$(grep -E '/debian-security/?$' <<<"$_knc_uris" | head -n1 || true)}
DEBIAN_MIRROR=${DEBIAN_MIRROR%/}
DEBIAN_SECURITY_MIRROR=${DEBIAN_SECURITY_MIRROR%/}
unset _knc_uris
if [[ -z $DEBIAN_MIRROR ]]; then
  echo "no Debian archive found in /etc/apt/sources.list*; set KNC_DEBIAN_MIRROR to the archive's URL" >&2
  return 1 2>/dev/null || exit 1
fi
