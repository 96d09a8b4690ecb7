/* SPDX-License-Identifier: GPL-2.0 */
/* Shim: nothing is exported in user space. */
#ifndef SHIM_LINUX_EXPORT_H
#define SHIM_LINUX_EXPORT_H

#define EXPORT_SYMBOL(sym)
#define EXPORT_SYMBOL_GPL(sym)

#endif
