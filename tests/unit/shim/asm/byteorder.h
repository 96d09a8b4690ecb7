/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shim: the kernel's byte-order names (cpu_to_le32() ...) on top of the
 * uapi <asm/byteorder.h>, which has only the __-prefixed ones.
 */
#ifndef SHIM_ASM_BYTEORDER_H
#define SHIM_ASM_BYTEORDER_H

#include_next <asm/byteorder.h>

#define cpu_to_le16	__cpu_to_le16
#define cpu_to_le32	__cpu_to_le32
#define cpu_to_le64	__cpu_to_le64
#define le16_to_cpu	__le16_to_cpu
#define le32_to_cpu	__le32_to_cpu
#define le64_to_cpu	__le64_to_cpu

#endif
