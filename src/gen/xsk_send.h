/* Sending frames with AF_XDP TX (copy mode on veth): the bench's sender,
 * which must outrun what it measures (AF_PACKET tops out near 1 Mpps on one
 * core here). Same shape as the AF_PACKET sender (pkt_send.h). Opaque, so
 * that code which includes libpcap need not include libxdp (their headers
 * clash). */
#ifndef GTPC_XSK_SEND_H
#define GTPC_XSK_SEND_H

#include <stddef.h>
#include <stdint.h>

struct gtpc_xsk_sender;

/* On queue 0 of ifname; NULL and a message on error. */
struct gtpc_xsk_sender *gtpc_xsk_sender_open(const char *ifname, char *err, size_t errlen);
/* A UMEM frame to write the next packet into (waits for one if none is free). */
uint8_t *gtpc_xsk_sender_slot(struct gtpc_xsk_sender *s);
void gtpc_xsk_sender_commit(struct gtpc_xsk_sender *s, size_t len);
/* Hands what is pending to the kernel. */
void gtpc_xsk_sender_flush(struct gtpc_xsk_sender *s);
/* Flushes, waits for the last completions, frees everything; gives the
 * frames the kernel sent and the descriptors it refused. NULL is ignored. */
void gtpc_xsk_sender_close(struct gtpc_xsk_sender *s, uint64_t *sent, uint64_t *failed);

#endif
