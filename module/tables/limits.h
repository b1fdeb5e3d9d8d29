/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Limits shared by the module and the userspace tools: both check
 * configurations against the same numbers.
 */
#ifndef _PS_TABLE_LIMITS_H
#define _PS_TABLE_LIMITS_H

#define PS_MAX_TARGETS		48
#define PS_MAX_THREADS		64
#define PS_NAME_LEN		64
#define PS_MAX_RATE		10000000
#define PS_MAX_DURATION		(7 * 24 * 3600)
#define PS_U64_MAX		0xffffffffffffffffULL

#endif /* _PS_TABLE_LIMITS_H */
