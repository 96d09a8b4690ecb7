/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shim: kernel types.  The uapi <linux/types.h> (which glibc headers may
 * include too) provides __u8..__u64, __le32, __bitwise; add the kernel
 * names on top.  u64 is unsigned long long, exactly as in the kernel.
 */
#ifndef SHIM_LINUX_TYPES_H
#define SHIM_LINUX_TYPES_H

#include_next <linux/types.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/compiler.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s8 s8;
typedef __s16 s16;
typedef __s32 s32;
typedef __s64 s64;

typedef unsigned int gfp_t;
typedef u64 sector_t;

#endif
