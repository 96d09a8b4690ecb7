# SPDX-License-Identifier: GPL-2.0
# kernel.sh - where a supported kernel's files are, for the scripts that
# build for it and boot it (sourced by tools/kbuild, tools/kernels,
# tests/vm/run, tests/vm/mkinitramfs).
#
# Debian 12's kernels (6.1, 6.12) are the host's own: headers under
# /lib/modules/<version>/build, the image in /boot.  The newest kernel is
# Debian unstable's; its headers need a newer gcc than Debian 12 has, so it
# lives in a sid chroot (tools/sid-chroot) and is built there: every path
# of such a kernel is under the chroot's root.  The debug kernel
# (tools/debug-kernel, `make check-debug`) is built on the host and
# installed under its own root; its build tree is the host's build output
# directory, which its /lib/modules/<version>/build link names as is.

SC_SID_ROOT=${SC_SID_ROOT:-/var/cache/dm-swapcache/sid}
SC_DEBUG_ROOT=${SC_DEBUG_ROOT:-${SC_DEBUG_CACHE:-/var/cache/dm-swapcache/debug}/root}

# kroot VERSION: the root the kernel's files are under ("" for the host).
kroot() {
	if [ -e "/lib/modules/$1/modules.dep" ]; then
		echo ""
	elif [ -e "$SC_SID_ROOT/lib/modules/$1/modules.dep" ]; then
		echo "$SC_SID_ROOT"
	elif [ -e "$SC_DEBUG_ROOT/lib/modules/$1/modules.dep" ]; then
		echo "$SC_DEBUG_ROOT"
	else
		echo ""
	fi
}

# kchrooted VERSION: the kernel is built for inside its root (a chroot).
kchrooted() {
	local root
	root=$(kroot "$1")
	[ -n "$root" ] && [ "$root" != "$SC_DEBUG_ROOT" ]
}

# kheaders VERSION: the kernel's build directory as seen from the host
# (/lib/modules/<version>/build is an absolute link, resolved in its root;
# the debug kernel's was written on the host and is the host's path).
kheaders() {
	local root link
	root=$(kroot "$1")
	link=$(readlink "$root/lib/modules/$1/build") || {
		echo "$root/lib/modules/$1/build"; return; }
	case "$link" in
	/*) if kchrooted "$1"; then echo "$root$link"; else echo "$link"; fi ;;
	*) echo "$root/lib/modules/$1/$link" ;;
	esac
}

# kimage VERSION: the kernel image the VM boots.
kimage() { echo "$(kroot "$1")/boot/vmlinuz-$1"; }

# kchroot ROOT COMMAND...: run COMMAND in the chroot ROOT with /proc
# mounted (objtool reads it), in a mount namespace of its own so that the
# mount goes away with the command, however it ends.
kchroot() {
	local root=$1
	shift
	unshare -m sh -c 'mount -t proc proc "$0/proc" && exec chroot "$0" "$@"' \
		"$root" "$@"
}
