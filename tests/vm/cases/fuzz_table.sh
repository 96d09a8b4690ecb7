#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Table-line fuzzer.  Several hundred `dmsetup create` attempts with random
# and mutated argument lists (from a valid line: dropped, duplicated,
# swapped and replaced arguments, huge, negative, hex and signed numbers,
# unknown keys, odd option counts, missing devices, the origin as its own
# cache, caches below 64 blocks and below one 16-block cluster, the word
# format anywhere and twice, block sizes that differ from the superblock
# an earlier line left on the same cache, an origin
# that is not a multiple of the block size, a 4 KiB-sector origin, the SSD
# or the origin of another swapcache device in either role, block_size
# variants).
#
# An independent model of the constructor (the rules of
# Documentation/swapcache.rst, written here from the documentation, not from
# target.c) predicts each line's fate:
#  - a line the model refuses must be refused, leave no device behind and
#    log its own ti->error line "device-mapper: table: M:m: swapcache: <msg>"
#    with a non-empty <msg>, the one the model expects;
#  - a line the model accepts must be accepted, `dmsetup table` must give
#    it back normalised (devices as major:minor, options in the documented
#    order, numbers without leading zeros), a reload from that output must
#    give the same line, and the device must be removable.
# Afterwards no device is left, the unrelated swapcache device kept through
# the run is intact, and dm_swapcache unloads (no leaked reference) with no
# object left in its slab cache.  Oopses and warnings: the harness.
#
# The first attempt is fixed: a 4 KiB-sector origin with a cache of 1001
# sectors (see the comment in the generator).
# Deterministic from the seed printed first ("# seed N").  To replay one,
# run this case with SC_SEED=N set (a wrapper case in an SC_VM_CASES
# directory: "SC_SEED=N; . /tests/cases/fuzz_table.sh") or with
# sc.seed=N on the kernel command line.  SC_FUZZ_N sets the number of
# attempts (default 300, about 90 s under emulation); all must run (a
# safety stop after SC_FUZZ_SECS, 600 s, fails the case).
# timeout: 900
. /tests/lib.sh

case_seed
N=${SC_FUZZ_N:-300}
SECS=${SC_FUZZ_SECS:-600}
echo "# seed $SEED"

mk_hdd hdd 64 || die "no origin"
mk_hdd hdd2 32 || die "no second origin"
# An origin with 4 KiB logical blocks: block_size below it is refused.
d=/sys/kernel/config/nullb/hdd4k
mkdir $d && echo 16 >$d/size && echo 1 >$d/memory_backed &&
	echo 4096 >$d/blocksize && echo 1 >$d/power || die "no 4k origin"
mk_ssd 16 3 || die "no cache"
sc_mod dm-swapcache || die "module does not load"
# A swapcache device that lives through the run: its origin (hdd2) and
# SSD (ram2) are taken, in either role.
sc_create keep /dev/hdd2 /dev/ram2 accrate 12345 || die "keep device"
KEEP_TABLE=$(dmsetup table keep)
# Small and odd devices carved out of ram1.
dmsetup create tiny8 --table "0 64 linear /dev/ram1 0" || die "tiny8"
dmsetup create tiny63 --table "0 504 linear /dev/ram1 64" || die "tiny63"
dmsetup create odd --table "0 1001 linear /dev/ram1 1024" || die "odd"

mm() { printf '%d:%d' $(stat -L -c '0x%t 0x%T' "$1"); }
lbs() { cat "/sys/block/$(basename "$(readlink -f "$1")")/queue/logical_block_size"; }
# path major:minor sectors logical_block_size: the devices that exist;
# each also under its major:minor name.
for p in /dev/hdd /dev/hdd2 /dev/hdd4k /dev/ram0 /dev/ram1 /dev/ram2 \
	 "$(dm_node tiny8)" "$(dm_node tiny63)" "$(dm_node odd)" \
	 "$(dm_node keep)"; do
	echo "$p $(mm "$p") $(sectors "$p") $(lbs "$p")"
done >/tmp/devs
cat /tmp/devs | sed 's/^/# dev /'
RAMMAX=$(awk '/^MemTotal:/ { printf "%d", int(int($2 / 4) / 2) / 256 }' /proc/meminfo)

# The generator and the model, one awk program: each output line is
#   expect|detail|table
# expect "ok" (detail: the table `dmsetup table` must print), "bad"
# (detail: the start of the expected ti->error) or "any" (the model does
# not know; detail "-").
knob_model_awk >/tmp/gen.awk
cat >>/tmp/gen.awk <<'EOF'
function rnd(k) { return int(rand() * k) }
function norm(s) { sub(/^0+/, "", s); return s == "" ? "0" : s }
# a < b for digit strings of any length
function numlt(a, b) {
	a = norm(a); b = norm(b)
	if (length(a) != length(b)) return length(a) < length(b)
	return a < b
}
function big(lo, hi,   r) {	# a random number in [lo, hi] (doubles)
	r = (rand() * 2147483648 + rand()) / 2147483649
	return sprintf("%.0f", lo + int(r * (hi - lo + 1)))
}
function validval(k,   r) {
	r = rnd(6)
	if (r == 0) return KMIN[k]
	if (r == 1) return KMAX[k]
	if (k == "ram_budget") return 1 + rnd(64)
	if (r == 2 && KMAX[k] > 1000) return "00" (KMIN[k] + 1)
	return big(KMIN[k], KMAX[k] > 1e12 ? 1e12 : KMAX[k])
}
function weirdnum(k) {
	WN = split("-1 +1 +5 0x10 0X1 1e3 1.5 abc 18446744073709551616 " \
	    "18446744073709551615 99999999999999999999 4294967296 4294967297 " \
	    "- 12abc 007 0 1 00000000000000000000001", W, " ")
	if (k != "" && rnd(3) == 0)
		return rnd(2) ? sprintf("%.0f", KMAX[k] + 1) : \
		    (KMIN[k] > 0 ? KMIN[k] - 1 : "-" KMAX[k])
	return W[1 + rnd(WN)]
}
function anytoken(r) {
	r = rnd(5)
	if (r == 0) return KN[1 + rnd(NK)]
	if (r == 1) return weirdnum("")
	if (r == 2) return DEVTOK[1 + rnd(NDT)]
	if (r == 3) return BS[1 + rnd(NBS)]
	split("block_size frobnicate ACCRATE accrate=5 read-enable -- x " \
	    "block_size maxswappct format FORMAT cold COLD", U, " ")
	return U[1 + rnd(13)]
}
function ins(pos, tok,   j) {	# insert tok before P[pos]
	for (j = NP; j >= pos; j--) P[j + 1] = P[j]
	P[pos] = tok; NP++
}
function del(pos,   j) {
	for (j = pos; j < NP; j++) P[j] = P[j + 1]
	delete P[NP]; NP--
}
# Set the option count (P[3]) to the number of words after it.
function fixcount() { if (NP >= 3) P[3] = NP - 3 }
function mutate(   m, a, b, t, k) {
	m = rnd(19)
	if (m == 0 && NP > 0) del(1 + rnd(NP))
	else if (m == 1 && NP > 0) { a = 1 + rnd(NP); ins(a, P[a]) }
	else if (m == 2 && NP > 1) {
		a = 1 + rnd(NP); b = 1 + rnd(NP); t = P[a]; P[a] = P[b]; P[b] = t
	} else if (m == 3 && NP > 0) P[1 + rnd(NP)] = anytoken()
	else if (m == 4 && NP > 4) {	# a bad value for an option
		a = 5 + 2 * rnd(int((NP - 3) / 2)); if (a > NP) a = NP
		P[a] = weirdnum(P[a - 1] in KMIN ? P[a - 1] : "")
	} else if (m == 5 && NP >= 3) {
		split("0 1 2 3 5 7 28 29 30 31 32 -1 +2 x 2x 99999999999999999999 " \
		    "4294967298", C, " ")
		P[3] = rnd(2) ? C[1 + rnd(17)] : P[3] + 1 - 2 * rnd(2)
	} else if (m == 6) { P[NP + 1] = anytoken(); NP++ }
	else if (m == 7) P[1] = rnd(4) ? REAL[1 + rnd(NREAL)] : DEVTOK[1 + rnd(NDT)]
	else if (m == 8 && NP >= 2) P[2] = rnd(3) ? DEVTOK[1 + rnd(NDT)] : P[1]
	else if (m == 14 && NP >= 2) P[2] = REAL[1 + rnd(NREAL)]
	else if (m == 15 && NP >= 2) {	# small caches, 4 KiB sectors
		P[rnd(4) ? 2 : 1] = SMALL[1 + rnd(NSMALL)]
		if (NP >= 3 && rnd(2)) {
			P[NP + 1] = "block_size"; P[NP + 2] = BS[1 + rnd(4)]
			NP += 2; fixcount()
		}
	}
	else if (m == 9) LENMUT = 1
	else if (m == 10 && NP >= 5) {	# a duplicate option
		a = 4 + 2 * rnd(int((NP - 3) / 2))
		k = P[a]; P[NP + 1] = k
		P[NP + 2] = k in KMIN ? validval(k) : BS[1 + rnd(4)]; NP += 2
		fixcount()
	} else if (m == 11 && NP >= 3) {	# an unknown key
		split("frobnicate ACCRATE read-enable maxswap blocksize " \
		    "clear_stats 0", U, " ")
		P[NP + 1] = U[1 + rnd(7)]; P[NP + 2] = rnd(100); NP += 2
		fixcount()
	} else if (m == 12 && NP >= 3) {	# a block_size variant
		P[NP + 1] = "block_size"; P[NP + 2] = BS[1 + rnd(NBS)]; NP += 2
		fixcount()
	} else if (m == 13 && NP >= 3) {	# a value out of range, count kept
		k = KN[1 + rnd(NK)]
		P[NP + 1] = k; P[NP + 2] = weirdnum(k); NP += 2
		fixcount()
	} else if (m == 17 && NP >= 3) {	# format or cold, anywhere after the count
		ins(4 + rnd(NP - 2), rnd(2) ? "format" : "cold"); fixcount()
	} else if (m == 16) {		# all random
		NP = rnd(9)
		for (a = 1; a <= NP; a++) P[a] = anytoken()
		if (NP >= 3 && rnd(2)) fixcount()
	}
}
# A line the model cannot judge: had it been accepted, it wrote a
# superblock of a block size not known here on its cache (SB[], below).
function unknown(c) {
	if (c in MM) SB[MM[c]] = "?"
	DETAIL = "-"
	return "any"
}
# The model.  Sets DETAIL; returns ok, bad or any.
function model(len, line,   t, nt, o, c, i, j, cn, bs, bsset, v, nv, name,
		set, nset, minb, maxb, bsec, ram, out, k, fmt) {
	nt = split(line, t, " ")
	if (nt < 2) { DETAIL = "Not enough arguments"; return "bad" }
	o = t[1]; c = t[2]
	# Before 6.5, dm fell back to the boot-time name_to_dev_t(), which
	# takes a hex number as a device number ("1e3" is 1:227, a ram disk
	# brd makes on demand): not modelled there.
	if (!(o in MM) && legacy && o ~ /^[0-9a-fA-F]+$/) return unknown(c)
	if (!(o in MM)) { DETAIL = "Error opening origin device"; return "bad" }
	if (!(c in MM) && legacy && c ~ /^[0-9a-fA-F]+$/) return unknown(c)
	if (!(c in MM)) { DETAIL = "Error opening cache device"; return "bad" }
	if (MM[o] == MM[c]) {
		DETAIL = "Cache device must not be the origin device"; return "bad"
	}
	bs = 4096; bsset = 0; cn = 0; i = 3; nset = 0; fmt = 0; cold = 0
	if (nt >= 3) {
		v = t[3]; i = 4
		DETAIL = "Invalid number of optional arguments"
		if (v !~ /^[0-9]+$/) return "bad"
		# dm's sscanf("%u") wraps longer numbers: not modelled.
		if (length(v) > 9) return unknown(c)
		cn = v + 0
		# at most a name and a value per option (block_size + knobs),
		# and the words format and cold
		if (cn > 2 * (NK + 1) + 2 || cn > nt - 3) return "bad"
		j = 0
		while (j < cn) {
			name = t[i]; i++; j++
			if (name == "format") {
				if (fmt) { DETAIL = "Duplicate optional argument"; return "bad" }
				fmt = 1
				continue
			}
			if (name == "cold") {
				if (cold) { DETAIL = "Duplicate optional argument"; return "bad" }
				cold = 1
				continue
			}
			if (j >= cn) {
				DETAIL = "Optional argument without its value"
				return "bad"
			}
			v = t[i]; i++; j++
			if (name == "block_size") {
				# kstrtouint: one leading '+' is taken
				sub(/^\+/, "", v)
				nv = norm(v)
				DETAIL = "Invalid block_size: a power of two from 512 to 4096"
				if (v !~ /^[0-9]+$/ || length(nv) > 4) return "bad"
				nv += 0
				if (nv != 512 && nv != 1024 && nv != 2048 && nv != 4096)
					return "bad"
				if (bsset) { DETAIL = "Duplicate optional argument"; return "bad" }
				bs = nv + 0; bsset = 1
				continue
			}
			if (!(name in KMIN)) {
				DETAIL = "Unknown optional argument"; return "bad"
			}
			if (name in set) { DETAIL = "Duplicate optional argument"; return "bad" }
			DETAIL = "Invalid " name ":"
			if (v !~ /^[0-9]+$/) return "bad"
			nv = norm(v)
			if (numlt(nv, KMIN[name]) || numlt(KMAX[name], nv)) return "bad"
			set[name] = nv; nset++
		}
		if (i <= nt) { DETAIL = "Too many arguments"; return "bad" }
	}
	minb = "minburst" in set ? set["minburst"] : 10000000
	maxb = "maxburst" in set ? set["maxburst"] : 2000000000
	if (numlt(maxb, minb) || (minb == maxb && maxb != 0)) {
		DETAIL = "minburst must be below maxburst"; return "bad"
	}
	bsec = bs / 512
	if (bs < LBS[o] || bs < LBS[c]) {
		DETAIL = "block_size is below a device's logical block size"
		return "bad"
	}
	if (len % bsec) {
		DETAIL = "Target length is not a multiple of block_size"; return "bad"
	}
	if (SZ[o] < len) { DETAIL = "Origin device is smaller than the target"; return "bad" }
	# The first MiB holds the superblocks and the checkpoint (the
	# guide's format section; for devices of at most 64 MiB the data
	# area starts at 1 MiB whatever the block size).
	if (SZ[c] <= 2048 || int((SZ[c] - 2048) / bsec) < 64) {
		DETAIL = "Cache device too small: need 1 MiB and 64 blocks"
		return "bad"
	}
	ram = "ram_budget" in set ? set["ram_budget"] : 64
	if (numlt(rammax, ram)) { DETAIL = "ram_budget exceeds half of the RAM"; return "bad" }
	# One device, one role (the keep device holds hdd2 and ram2).
	if (MM[c] == keepcache) {
		DETAIL = "Cache device is in use by another swapcache device"
		return "bad"
	}
	if (MM[c] == keeporigin) {
		DETAIL = "Cache device is the origin of another swapcache device"
		return "bad"
	}
	if (MM[o] == keepcache) {
		DETAIL = "Origin device is the cache of another swapcache device"
		return "bad"
	}
	if (MM[o] == keeporigin) {
		DETAIL = "Origin device is in use by another swapcache device"
		return "bad"
	}
	# A swapcache superblock of another block size (written by an
	# earlier accepted line) is refused unless format.
	if ((MM[c] in SB) && SB[MM[c]] == "?" && !fmt) return unknown(c)
	if (MM[c] in SB && SB[MM[c]] != bs && !fmt) {
		DETAIL = "The cache device was formatted with another block_size"
		return "bad"
	}
	SB[MM[c]] = bs
	out = "0 " len " swapcache " MM[o] " " MM[c] " " (2 * (bsset + nset) + fmt + cold)
	if (bsset) out = out " block_size " bs
	if (fmt) out = out " format"
	if (cold) out = out " cold"
	for (k = 1; k <= NK; k++)
		if (KN[k] in set) out = out " " KN[k] " " set[KN[k]]
	DETAIL = out
	return "ok"
}
BEGIN {
	srand(seed)
	knob_model()
	for (k = 1; k <= NK; k++) { KMIN[KN[k]] = LO[k]; KMAX[KN[k]] = HI[k] }
	NBS = split("512 1024 2048 4096 4096 8192 3000 0 256 +4096 04096 " \
	    "4096x -4096 4294971392 65536", BS, " ")
}
{
	MM[$1] = $2; MM[$2] = $2; SZ[$1] = SZ[$2] = $3; LBS[$1] = LBS[$2] = $4
	DEVTOK[++NDT] = $1; DEVTOK[++NDT] = $2
	REAL[++NREAL] = rnd(2) ? $1 : $2
	if ($1 ~ /hdd4k$/ || NR == 6 || NR == 7 || NR == 8) SMALL[++NSMALL] = $1
	if ($1 ~ /hdd4k$/) H4K = $1
	if (NR == 9) ODD = $1
	if (NR <= 2 || $1 ~ /ram1$/ || NR == 10) GOODO[++NGO] = $1
	if ($1 ~ /ram0$/) { GOODC[1] = $1; GOODC[2] = $2 }
}
END {
	DEVTOK[++NDT] = "/dev/nonexistent"; DEVTOK[++NDT] = "/dev/null"
	DEVTOK[++NDT] = "0:0"; DEVTOK[++NDT] = "259:999"
	DEVTOK[++NDT] = "/dev"
	# Directed first: a cache whose length (1001 sectors) is not a
	# multiple of the origin's 4 KiB logical block.  Once valid by the
	# guide (125 blocks of 4 KiB; dm refused the table when the target
	# reported the whole cache device in iterate_devices), now below the
	# 1 MiB of metadata: refused as too small.
	line = " " H4K " " ODD
	e = model(SZ[H4K], line)
	print e "|" DETAIL "|0 " SZ[H4K] " swapcache" line
	for (a = 1; a < n; a++) {
		# A valid line first: a good origin and cache, a few options.
		delete P; NP = 0; LENMUT = 0
		P[++NP] = GOODO[1 + rnd(NGO)]
		P[++NP] = GOODC[1 + rnd(2)]
		if (rnd(5)) {
			P[++NP] = 0
			no = rnd(5)
			delete used
			for (j = 0; j < no; j++) {
				k = KN[1 + rnd(NK)]
				if (k in used) continue
				used[k] = 1
				P[++NP] = k; P[++NP] = validval(k)
			}
			if (rnd(3) == 0) {
				P[++NP] = "block_size"; P[++NP] = BS[1 + rnd(4)]
			}
			if (rnd(4) == 0) P[++NP] = "format"
			if (rnd(4) == 0) P[++NP] = "cold"
			fixcount()
		}
		# Then no, one or several mutations.
		nm = rnd(4)
		for (j = 0; j < nm; j++) mutate()
		line = ""
		for (j = 1; j <= NP; j++)
			if (P[j] != "") line = line " " P[j]
		len = SZ[P[1]] != "" ? SZ[P[1]] : 131072
		if (LENMUT) {
			split("-1 8 -8 1 7 -4096", L, " ")
			r = rnd(8)
			if (r < 6) len = L[1 + r] < 0 ? len + L[1 + r] : L[1 + r]
			else if (r == 6) len = len + 8
			else len = 8 * (1 + rnd(int(len / 8)))
			if (len < 1) len = 8
		}
		e = model(len, line)
		print e "|" DETAIL "|0 " len " swapcache" line
	}
}
EOF
# dm's device lookup before 6.5 also parses hex device numbers.
LEGACY=0
case "$(uname -r)" in [1-5].*|6.[0-4].*) LEGACY=1 ;; esac
awk -v seed="$SEED" -v n="$N" -v rammax="$RAMMAX" -v legacy=$LEGACY \
    -v keepcache="$(mm /dev/ram2)" -v keeporigin="$(mm /dev/hdd2)" \
    -f /tmp/gen.awk /tmp/devs >/tmp/attempts
[ -s /tmp/attempts ] || die "the generator wrote nothing"
ktap_diag "model: $(cut -d'|' -f1 /tmp/attempts | sort | uniq -c | tr '\n' ' ')"

ktap_plan 12

# Counters: attempts, accepted, refused, and each kind of disagreement.
tries=0 acc=0 ref=0 acc_bad=0 ref_ok=0 nomsg=0 wrongmsg=0 notable=0
noreload=0 noremove=0 leftover=0 reloads=0 shown=0
show() {	# at most 12 diagnostics
	shown=$((shown + 1))
	[ $shown -le 12 ] && echo "# $*"
}
# Whether a device called fz exists, without a fork (sysfs names).
fz_exists() {
	local f nm
	for f in /sys/block/dm-*/dm/name; do
		[ -e "$f" ] || continue
		read -r nm <"$f"
		[ "$nm" = fz ] && return 0
	done
	return 1
}
NL='
'
klog_mark
t0=$(now_cs)
while IFS='|' read -r exp detail table; do
	[ $(($(now_cs) - t0)) -gt $((SECS * 100)) ] && break
	tries=$((tries + 1))
	if dmsetup create fz --table "$table" 2>/dev/null; then
		acc=$((acc + 1))
		got=$(dmsetup table fz)
		if [ "$exp" = bad ]; then
			acc_bad=$((acc_bad + 1))
			show "#$tries accepted, model says '$detail': $table"
		elif [ "$exp" = ok ] && [ "$got" != "$detail" ]; then
			notable=$((notable + 1))
			show "#$tries table '$got', want '$detail'"
		fi
		# Every third accepted line: reload from `dmsetup table`.
		if [ $((acc % 3)) = 0 ]; then
			reloads=$((reloads + 1))
			if ! dmsetup reload fz --table "$got" ||
			   ! dmsetup resume fz ||
			   [ "$(dmsetup table fz)" != "$got" ]; then
				noreload=$((noreload + 1))
				show "#$tries reload from '$got' gave '$(dmsetup table fz)'"
			fi
		fi
		if ! dmsetup remove fz; then
			noremove=$((noremove + 1))
			show "#$tries cannot remove"
			dmsetup remove --force fz 2>/dev/null
		fi
		klog_mark
	else
		ref=$((ref + 1))
		if fz_exists; then
			leftover=$((leftover + 1))
			show "#$tries refused but left a device: $table"
			dmsetup remove --force fz 2>/dev/null
		fi
		# The ti->error line: "device-mapper: table: M:m: swapcache: msg"
		log=$(dmesg -c)
		msg=
		case "$log" in
		*"device-mapper: table: "*)
			msg=${log#*device-mapper: table: }
			msg=${msg%%"$NL"*}
			msg=${msg#*: swapcache: } ;;
		esac
		if [ -z "$msg" ] || [ "${msg#(-E}" != "$msg" ]; then
			nomsg=$((nomsg + 1))
			show "#$tries refused without a ti->error line: $table"
			echo "$log" | tail -n 2 | sed 's/^/#   log: /'
		fi
		if [ "$exp" = ok ]; then
			ref_ok=$((ref_ok + 1))
			show "#$tries refused ($msg), model accepts: $table"
		elif [ "$exp" = bad ]; then
			case "$msg" in
			"$detail"*) ;;
			*)	wrongmsg=$((wrongmsg + 1))
				show "#$tries '$msg', model says '$detail': $table" ;;
			esac
		fi
	fi
done </tmp/attempts
secs=$((($(now_cs) - t0) / 100))
ktap_diag "$tries attempts in $secs s: $acc accepted ($reloads reloaded), $ref refused"

ktap_check "all $N attempts ran ($tries)" [ "$tries" -eq "$N" ]
ktap_check "both outcomes seen: $acc accepted, $ref refused" \
	[ "$acc" -ge $((N / 10)) -a "$ref" -ge $((N / 3)) ]
ktap_check "no line the model refuses was accepted ($acc_bad)" [ $acc_bad = 0 ]
ktap_check "no line the model accepts was refused ($ref_ok)" [ $ref_ok = 0 ]
ktap_check "every refusal logged a non-empty ti->error ($nomsg without)" \
	[ $nomsg = 0 ]
ktap_check "every refusal gave the expected message ($wrongmsg other)" \
	[ $wrongmsg = 0 ]
ktap_check "every refusal left no device behind ($leftover)" [ $leftover = 0 ]
ktap_check "every accepted line round-trips through dmsetup table ($notable)" \
	[ $notable = 0 ]
ktap_check "every reload from dmsetup table kept the line ($noreload)" \
	[ $noreload = 0 ]
ktap_check "every accepted device was removed ($noremove)" [ $noremove = 0 ]

ktap_expect_eq "the device kept through the run is unchanged" "$KEEP_TABLE" \
	"$(dmsetup table keep)"
dmsetup remove keep
dmsetup remove tiny8
dmsetup remove tiny63
dmsetup remove odd
left=$(dmsetup ls 2>/dev/null | grep -v 'No devices found')
[ -z "$left" ] || ktap_diag "left: $left"
klog_mark
if [ -z "$left" ] && rmmod dm_swapcache &&
   ! dmesg | grep -q "Objects remaining"; then
	ktap_ok "no device left; dm_swapcache unloads with nothing remaining"
else
	dmesg | tail -n 5 | sed 's/^/# log: /'
	ktap_fail "no device left; dm_swapcache unloads with nothing remaining"
fi
ktap_done
