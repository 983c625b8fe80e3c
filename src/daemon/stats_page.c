#include "daemon/stats_page.h"

#include <bpf/bpf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static size_t page_bytes(void)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);

	return (sizeof(struct gtpc_stats_page) + pg - 1) / pg * pg;
}

int gtpc_stats_open(struct gtpc_stats_writer *w, const char *pin_dir, const char *ifname,
		    const char (*class_names)[32], int n_classes, char *err, size_t errlen)
{
	LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = BPF_F_MMAPABLE);
	int i;

	w->page = NULL;
	snprintf(w->path, sizeof(w->path), "%s/stats", pin_dir);
	unlink(w->path); /* an earlier run's, kept: this run's counts start afresh */
	w->fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "gtpc_stats", 4, (uint32_t)sizeof(struct gtpc_stats_page), 1, &opts);
	if (w->fd < 0) {
		snprintf(err, errlen, "cannot create the stats map: %s", strerror(errno));
		return -errno;
	}
	w->page = mmap(NULL, page_bytes(), PROT_READ | PROT_WRITE, MAP_SHARED, w->fd, 0);
	if (w->page == MAP_FAILED) {
		w->page = NULL;
		snprintf(err, errlen, "cannot map the stats map: %s", strerror(errno));
		return -errno;
	}
	if (bpf_obj_pin(w->fd, w->path)) {
		snprintf(err, errlen, "cannot pin %s: %s", w->path, strerror(errno));
		return -errno;
	}
	w->page->pid = (uint64_t)getpid();
	snprintf(w->page->interface, sizeof(w->page->interface), "%s", ifname);
	w->page->n_classes = (uint64_t)(n_classes < GTPC_METRIC_MAX_CLASSES ? n_classes : GTPC_METRIC_MAX_CLASSES);
	for (i = 0; i < (int)w->page->n_classes; i++)
		memcpy(w->page->class_names[i], class_names[i], 32);
	__atomic_store_n(&w->page->magic, GTPC_STATS_MAGIC, __ATOMIC_RELEASE);
	return 0;
}

void gtpc_stats_publish(struct gtpc_stats_writer *w, const struct gtpc_metrics *m)
{
	struct gtpc_stats_page *p = w->page;
	struct timespec ts;

	if (!p)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	__atomic_store_n(&p->seq, p->seq + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	p->m = *m;
	p->updated_ns = (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
	__atomic_store_n(&p->seq, p->seq + 1, __ATOMIC_RELEASE);
}

void gtpc_stats_close(struct gtpc_stats_writer *w, int keep)
{
	if (w->page)
		munmap(w->page, page_bytes());
	w->page = NULL;
	if (w->fd >= 0) {
		if (!keep)
			unlink(w->path);
		close(w->fd);
	}
	w->fd = -1;
}

int gtpc_stats_copy(const struct gtpc_stats_page *page, struct gtpc_stats_page *out)
{
	int tries;

	for (tries = 0; tries < 1000; tries++) {
		uint64_t s0 = __atomic_load_n(&page->seq, __ATOMIC_ACQUIRE);

		if (s0 & 1)
			continue;
		memcpy(out, page, sizeof(*out));
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (__atomic_load_n(&page->seq, __ATOMIC_RELAXED) == s0)
			return 0;
	}
	return -EAGAIN;
}

int gtpc_stats_read(const char *path, struct gtpc_stats_page *out, char *err, size_t errlen)
{
	const struct gtpc_stats_page *page;
	int fd = bpf_obj_get(path), rc;

	if (fd < 0) {
		snprintf(err, errlen, "%s: %s (is gtpclass running on that interface?)", path, strerror(errno));
		return -errno;
	}
	page = mmap(NULL, page_bytes(), PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (page == MAP_FAILED) {
		snprintf(err, errlen, "cannot map %s: %s", path, strerror(errno));
		return -errno;
	}
	rc = page->magic == GTPC_STATS_MAGIC ? gtpc_stats_copy(page, out) : -EPROTO;
	munmap((void *)page, page_bytes());
	if (rc)
		snprintf(err, errlen, "%s: %s", path, rc == -EPROTO ? "not a gtpclass stats map" : "kept changing while read");
	return rc;
}
