/* SPDX-License-Identifier: MIT */
/* Types and byte-order helpers that compile both for the BPF target (where
 * vmlinux.h provides the __uN types) and for user space. */
#ifndef GTPC_COMMON_H
#define GTPC_COMMON_H

#ifndef __bpf__
#include <linux/types.h>
#include <string.h>
#endif

#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif

#define GTPC_INLINE static __always_inline

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define gtpc_ntohs(x) ((__u16)__builtin_bswap16((__u16)(x)))
#define gtpc_ntohl(x) ((__u32)__builtin_bswap32((__u32)(x)))
#else
#define gtpc_ntohs(x) ((__u16)(x))
#define gtpc_ntohl(x) ((__u32)(x))
#endif
#define gtpc_htons(x) gtpc_ntohs(x)
#define gtpc_htonl(x) gtpc_ntohl(x)

#endif
