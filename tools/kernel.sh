# SPDX-License-Identifier: GPL-2.0
# kernel.sh - where a supported kernel's files are, for the scripts that
# build for it and boot it (sourced by tools/kbuild, tools/kernels,
# tests/vm/run, tests/vm/mkinitramfs).
#
# Debian 12's kernels (6.1, 6.12) are the host's own: headers under
# /lib/modules/<version>/build, the image in /boot.  The newest kernel is
# Debian unstable's; its headers need a newer gcc than Debian 12 has, so it
# lives in a sid chroot (tools/sid-chroot) and is built there: every path
# of such a kernel is under the chroot's root.

SC_SID_ROOT=${SC_SID_ROOT:-/var/cache/dm-swapcache/sid}

# kroot VERSION: the root the kernel's files are under ("" for the host).
kroot() {
	if [ -e "/lib/modules/$1/modules.dep" ]; then
		echo ""
	elif [ -e "$SC_SID_ROOT/lib/modules/$1/modules.dep" ]; then
		echo "$SC_SID_ROOT"
	else
		echo ""
	fi
}

# kheaders VERSION: the kernel's build directory as seen from the host
# (/lib/modules/<version>/build is an absolute link, resolved in its root).
kheaders() {
	local root link
	root=$(kroot "$1")
	link=$(readlink "$root/lib/modules/$1/build") || {
		echo "$root/lib/modules/$1/build"; return; }
	case "$link" in
	/*) echo "$root$link" ;;
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
