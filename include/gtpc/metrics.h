/* SPDX-License-Identifier: MIT */
/* Every counter gtpclass reports, named once: one row per counter with its
 * name, its kind and a line of help, grouped by where it is counted. The
 * BPF programs index their per-CPU arrays with the enums made here; user
 * space prints, sums and exports every row from the table built from the
 * same lists (src/util/metrics.c), so adding a counter is one row here and
 * the line that increments it.
 *
 * Rows: X(ID, "name", KIND, "help"), KIND being COUNTER (only grows) or
 * GAUGE (a level). */
#ifndef GTPC_METRICS_H
#define GTPC_METRICS_H

#include "outcome.h"

/* XDP: the fate of each packet the program sees, exactly one per packet.
 * The malformed reasons of outcome.h follow these in the same array, as
 * "malformed_<reason>": those packets are passed to the stack. */
#define GTPC_XDP_FATES(X)                                                                          \
	X(REDIRECTED, "redirected", COUNTER, "G-PDUs redirected to the AF_XDP socket of their queue") \
	X(PASS_NOT_GTPU, "passed_not_gtpu", COUNTER, "packets that are not GTP-U, passed to the stack") \
	X(PASS_GTPU_OTHER, "passed_gtpu_other", COUNTER,                                             \
	  "GTP-U messages other than G-PDUs (echo, end marker, error indication), passed")           \
	X(PASS_FRAGMENT, "passed_outer_fragment", COUNTER, "outer IP fragments of GTP-U, passed")     \
	X(PASS_NO_SOCKET, "passed_no_socket", COUNTER, "G-PDUs of a queue without a socket, passed") \
	X(PASS_CLASSIFIED, "passed_classified", COUNTER, "G-PDUs classified in XDP and passed (kernel mode)") \
	X(DROP_VERDICT, "dropped_verdict", COUNTER, "G-PDUs of UEs with a live drop verdict, dropped")     \
	X(FWD_CLASSIFIED, "forwarded_classified", COUNTER,                                           \
	  "G-PDUs classified in XDP and redirected to the egress (kernel mode)")                      \
	X(FWD_GTPU_OTHER, "forwarded_gtpu_other", COUNTER, "GTP-U other than G-PDUs, redirected to the egress") \
	X(FWD_FRAGMENT, "forwarded_outer_fragment", COUNTER, "outer IP fragments, redirected to the egress") \
	X(UNPARSED_VLAN_DEPTH, "unparsed_vlan_depth", COUNTER,                                       \
	  "frames with more VLAN tags than the parser walks: passed or dropped as parser.on_unparsed says") \
	X(UNPARSED_IP6_EXT, "unparsed_ipv6_ext_chain", COUNTER,                                      \
	  "frames with more outer IPv6 extension headers than the parser walks (parser.on_unparsed)") \
	X(UNPARSED_GTP_EXT, "unparsed_gtp_ext_chain", COUNTER,                                       \
	  "G-PDUs with more GTP extension headers than the parser walks (parser.on_unparsed)")         \
	X(PASS_TOO_BIG, "passed_too_big", COUNTER,                                                   \
	  "G-PDUs longer than a UMEM frame holds (frame_size less 256), passed to the stack (AF_XDP mode)") \
	X(PASS_NOT_FORWARDED, "passed_not_forwarded", COUNTER,                                       \
	  "packets to forward without a next-hop MAC or egress, passed to the stack")

/* XDP: events that are not packet fates (they overlap the fates). */
#define GTPC_XDP_EVENTS(X)                                                                         \
	X(META_FAIL, "metadata_unavailable", COUNTER, "packets without room for the XDP timestamp")    \
	X(VERDICT_EXPIRED, "verdict_expired_seen", COUNTER,                                          \
	  "packets that met a verdict past its expiry (the daemon had not yet removed it)")          \
	X(MARKED, "marked_xdp", COUNTER, "packets whose DSCP XDP rewrote (mark verdict)")             \
	X(MARK_FAILED, "mark_failed_xdp", COUNTER, "packets XDP could not mark (header beyond its reach)")

/* The classifier: the AF_XDP workers (summed, or one worker's) or, in kernel
 * mode, the XDP program with its user-space helper. A row one mode does not
 * have stays 0 there. */
#define GTPC_CLASSIFIER_COUNTERS(X)                                                                \
	X(RX, "worker_rx", COUNTER, "frames the workers took from their RX rings")                      \
	X(GPDU, "worker_gpdu", COUNTER, "of worker_rx, G-PDUs given to the engine")                    \
	X(NOT_GPDU, "worker_not_gpdu", COUNTER, "of worker_rx, frames the parser did not take as G-PDUs") \
	X(NO_STAMP, "worker_no_stamp", COUNTER, "of worker_rx, frames without an XDP timestamp")        \
	X(BATCHES, "worker_batches", COUNTER, "RX batches the workers processed (worker_rx / this = batch size)") \
	X(WAKEUPS, "worker_wakeups", COUNTER, "fill-ring wakeups the workers asked the kernel for")     \
	X(ACCOUNTED, "worker_accounted", COUNTER, "G-PDUs accounted in their UE's window, by the UE's owner worker") \
	X(HANDED_OFF, "worker_handed_off", COUNTER,                                                    \
	  "of worker_gpdu, G-PDUs whose record went to the worker that owns their UE")                \
	X(HANDOFF_IN, "worker_handoff_in", COUNTER, "of worker_accounted, records other workers handed to this one") \
	X(HANDOFF_FULL, "worker_handoff_ring_full", COUNTER,                                          \
	  "times a hand-off ring was full and the worker waited for room")                            \
	X(NOT_ACCOUNTED, "worker_not_accounted", COUNTER,                                              \
	  "G-PDUs delivered but never accounted: their owner's hand-off ring stayed full")            \
	X(HANDOFF_LATE, "worker_handoff_late", COUNTER,                                                \
	  "records accounted after a newer one of the same owner (a producer's watermark was early)") \
	X(AFTER_DROP, "worker_after_drop", COUNTER,                                                    \
	  "G-PDUs of a UE already dropped, in flight before XDP saw the verdict (not windowed)")      \
	X(FORWARDED, "worker_forwarded", COUNTER, "frames the workers put on the egress TX ring")      \
	X(TX_RING_FULL, "worker_tx_ring_full", COUNTER, "frames not forwarded: the egress TX ring stayed full") \
	X(DROPPED, "worker_dropped_verdict", COUNTER, "frames of UEs with a drop verdict, not forwarded") \
	X(CONSUMED, "worker_consumed", COUNTER, "frames classified and not forwarded (egress: none)")  \
	X(MARKED, "worker_marked", COUNTER, "frames whose DSCP a worker rewrote before TX")            \
	X(UES, "ues", GAUGE, "UEs with state in the classifier")                                        \
	X(UES_NEW, "ues_new", COUNTER, "UEs that got state")                                            \
	X(UES_EVICTED, "ues_evicted", COUNTER, "UEs removed to make room for a new one")               \
	X(UES_IDLE, "ues_idle", COUNTER, "UEs removed after the idle timeout")                          \
	X(UES_UNTRACKED, "ues_untracked", COUNTER, "G-PDUs of new UEs that found the UE table full, passed") \
	X(WINDOWS, "windows", COUNTER, "windows classified")                                            \
	X(VERDICTS_SET, "verdicts_set", COUNTER, "verdicts written (a UE's action changed from pass)")  \
	X(VERDICTS_HELD, "verdicts_held", COUNTER,                                                     \
	  "windows of a class with an action, not acted on: below policy.min_confidence or min_windows") \
	X(VERDICTS_OBSERVED, "verdicts_observed", COUNTER,                                             \
	  "windows that would have set a verdict, reported instead (action observe)")                  \
	X(VERDICTS_CLEARED, "verdicts_cleared", COUNTER, "verdicts removed (expired, or the class passes again)") \
	X(VERDICT_ERRORS, "verdict_errors", COUNTER, "verdict map updates that failed")                 \
	X(EVENTS_LOST, "events_lost", COUNTER, "classifications not reported: the kernel's ring buffer was full")

/* The AF_XDP sockets (XDP_STATISTICS) and where their UMEM frames are. */
#define GTPC_SOCKET_COUNTERS(X)                                                                    \
	X(RX_DROPPED, "socket_dropped", COUNTER, "packets the socket dropped (no room, bad length)")   \
	X(RX_RING_FULL, "socket_ring_full", COUNTER, "packets dropped because the RX ring was full")   \
	X(FILL_EMPTY, "socket_fill_empty", COUNTER, "times the kernel found the fill ring empty")      \
	X(INVALID, "socket_invalid", COUNTER, "invalid descriptors")                                   \
	X(TX_INVALID, "socket_tx_invalid", COUNTER, "TX descriptors the kernel refused")               \
	X(UMEM_FRAMES, "umem_frames", GAUGE, "UMEM frames")                                              \
	X(UMEM_FILL, "umem_fill", GAUGE, "frames in the fill ring")                                      \
	X(UMEM_RX, "umem_rx", GAUGE, "frames in the RX ring")                                            \
	X(UMEM_TX, "umem_tx", GAUGE, "frames in the egress TX rings")                                    \
	X(UMEM_COMPLETION, "umem_completion", GAUGE, "frames in the completion rings")                   \
	X(UMEM_FREE, "umem_free", GAUGE, "frames on the workers' free stacks")                           \
	X(UMEM_IN_KERNEL, "umem_in_kernel", GAUGE, "frames held by the driver (zero-copy only)")

/* Values of the whole run, derived when it is read. */
#define GTPC_RUN_VALUES(X)                                                                         \
	X(SEEN, "seen", COUNTER, "packets the XDP program saw (the sum of its fates)")                  \
	X(VERDICT_P50_NS, "verdict_p50_ns", GAUGE, "window end to verdict, median (ns)")               \
	X(VERDICT_P99_NS, "verdict_p99_ns", GAUGE, "window end to verdict, 99th percentile (ns)")      \
	X(INFERENCE_NS, "inference_mean_ns", GAUGE, "mean time of one classification in XDP (kernel mode, ns)") \
	X(BALANCED, "balanced", GAUGE, "1 when every packet and every UMEM frame is accounted for")      \
	X(LINK_UP, "link_up", GAUGE, "1 while N3 (and the egress) is up with carrier: the health of what feeds gtpclass") \
	X(LINK_CHANGES, "link_changes", COUNTER, "down and up transitions of N3 and the egress (rtnetlink)") \
	X(ATTACHMENTS, "attachments", COUNTER, "times attached: 1, plus one for each return of a deleted interface")

/* Per class of the model, named "<name>_<class>". */
#define GTPC_CLASS_METRICS(X)                                                                      \
	X(WINDOWS, "windows", COUNTER, "windows classified as the class")                              \
	X(VERDICTS, "verdicts", COUNTER, "verdicts written because a UE's window was of the class")   \
	X(UES, "ues", GAUGE, "resident UEs whose last window was of the class")

#define GTPC_M_ENUM_FATE(id, name, kind, help) GTPC_CNT_##id,
/* Indices of the XDP "counters" array. */
enum gtpc_counter {
	GTPC_XDP_FATES(GTPC_M_ENUM_FATE)
	GTPC_CNT_MALFORMED_BASE,
	GTPC_CNT__COUNT = GTPC_CNT_MALFORMED_BASE + GTPC_MAL__COUNT,
};

#define GTPC_M_ENUM_EV(id, name, kind, help) GTPC_EV_##id,
enum gtpc_event { GTPC_XDP_EVENTS(GTPC_M_ENUM_EV) GTPC_EV__COUNT };

/* Indices of a worker's counters, and of the kernel program's "kstats". */
#define GTPC_M_ENUM_CL(id, name, kind, help) GTPC_CL_##id,
enum gtpc_classifier_counter { GTPC_CLASSIFIER_COUNTERS(GTPC_M_ENUM_CL) GTPC_CL__COUNT };

#define GTPC_M_ENUM_SK(id, name, kind, help) GTPC_SK_##id,
enum gtpc_socket_counter { GTPC_SOCKET_COUNTERS(GTPC_M_ENUM_SK) GTPC_SK__COUNT };

#define GTPC_M_ENUM_RUN(id, name, kind, help) GTPC_RUN_##id,
enum gtpc_run_value { GTPC_RUN_VALUES(GTPC_M_ENUM_RUN) GTPC_RUN__COUNT };

#define GTPC_M_ENUM_CLS(id, name, kind, help) GTPC_CLS_##id,
enum gtpc_class_metric { GTPC_CLASS_METRICS(GTPC_M_ENUM_CLS) GTPC_CLS__COUNT };

/* One flat index over every row, in the order above. */
enum gtpc_metric_base {
	GTPC_M_XDP = 0,
	GTPC_M_EV = GTPC_M_XDP + GTPC_CNT__COUNT,
	GTPC_M_CL = GTPC_M_EV + GTPC_EV__COUNT,
	GTPC_M_SK = GTPC_M_CL + GTPC_CL__COUNT,
	GTPC_M_RUN = GTPC_M_SK + GTPC_SK__COUNT,
	GTPC_M__COUNT = GTPC_M_RUN + GTPC_RUN__COUNT,
};

#endif
