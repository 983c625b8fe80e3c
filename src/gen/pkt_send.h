/* Sending frames on an interface with AF_PACKET, bypassing the qdisc, in
 * batches of sendmmsg. */
#ifndef GTPC_PKT_SEND_H
#define GTPC_PKT_SEND_H

#include <stddef.h>
#include <stdint.h>

#define GTPC_SEND_BATCH 64
#define GTPC_SEND_FRAME 2048

struct gtpc_sender {
	int fd;
	unsigned n;
	uint8_t frames[GTPC_SEND_BATCH][GTPC_SEND_FRAME];
	size_t lens[GTPC_SEND_BATCH];
	uint64_t sent, failed;
};

int gtpc_sender_open(struct gtpc_sender *s, const char *ifname, char *err, size_t errlen);
/* A slot to build the next frame into; flushes when the batch is full. */
uint8_t *gtpc_sender_slot(struct gtpc_sender *s);
void gtpc_sender_commit(struct gtpc_sender *s, size_t len);
void gtpc_sender_flush(struct gtpc_sender *s);
void gtpc_sender_close(struct gtpc_sender *s);

#endif
