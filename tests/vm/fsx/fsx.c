// SPDX-License-Identifier: GPL-2.0
/*
 * fsx - a small file system exerciser in the spirit of fsx-linux.
 *
 * Random writes, reads, truncates and fsyncs on a few files, checked against
 * an in-memory copy of what each file must hold: every read is compared
 * byte for byte, and each file is read back whole at the end.  The run is a
 * pure function of the seed, so the final files are the same on any device
 * that does not lie, which is what tests/vm/cases/fs.sh compares.
 *
 * usage: fsx [-n ops] [-s seed] [-f files] [-m maxsize] [-q] dir
 * Exit 0 when every read verified, 1 on a mismatch, 2 on an I/O error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_FILES	16

struct fsx_file {
	int fd;
	char path[512];
	unsigned char *model;	/* what the file must hold */
	size_t size;		/* its current length */
};

static struct fsx_file files[MAX_FILES];
static unsigned char *buf;
static uint64_t rng;
static unsigned long op_no;
static int quiet;

/* xorshift64*: deterministic, the same on every host. */
static uint64_t fsx_rand(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545F4914F6CDD1DULL;
}

static size_t fsx_below(size_t n)
{
	return n ? fsx_rand() % n : 0;
}

static void fsx_fatal(const char *what, const struct fsx_file *f)
{
	fprintf(stderr, "fsx: op %lu: %s %s: %s\n", op_no, what, f->path,
		strerror(errno));
	exit(2);
}

/* Compare len bytes read at off with the model; report the first difference. */
static void fsx_check(const struct fsx_file *f, size_t off, size_t len)
{
	size_t i;

	if (!memcmp(buf, f->model + off, len))
		return;
	for (i = 0; i < len && buf[i] == f->model[off + i]; i++)
		;
	fprintf(stderr,
		"fsx: op %lu: %s: bad data at offset %zu (read %zu@%zu): got 0x%02x, expected 0x%02x\n",
		op_no, f->path, off + i, len, off, buf[i], f->model[off + i]);
	exit(1);
}

static void fsx_read(struct fsx_file *f, size_t off, size_t len)
{
	ssize_t n;
	size_t done = 0;

	while (done < len) {
		n = pread(f->fd, buf + done, len - done, off + done);
		if (n < 0)
			fsx_fatal("read", f);
		if (n == 0) {
			fprintf(stderr, "fsx: op %lu: %s: short read %zu of %zu at %zu\n",
				op_no, f->path, done, len, off);
			exit(1);
		}
		done += n;
	}
	fsx_check(f, off, len);
}

static void fsx_write(struct fsx_file *f, size_t off, size_t len)
{
	size_t i, done = 0;
	uint64_t r = 0;
	ssize_t n;

	for (i = 0; i < len; i++) {
		if (!(i & 7))
			r = fsx_rand();
		buf[i] = r >> ((i & 7) * 8);
	}
	while (done < len) {
		n = pwrite(f->fd, buf + done, len - done, off + done);
		if (n <= 0)
			fsx_fatal("write", f);
		done += n;
	}
	if (off > f->size)	/* a hole reads as zeroes */
		memset(f->model + f->size, 0, off - f->size);
	memcpy(f->model + off, buf, len);
	if (off + len > f->size)
		f->size = off + len;
}

static void fsx_truncate(struct fsx_file *f, size_t size)
{
	if (ftruncate(f->fd, size))
		fsx_fatal("truncate", f);
	if (size > f->size)
		memset(f->model + f->size, 0, size - f->size);
	f->size = size;
}

/* Close and reopen, so that later reads may come from the device. */
static void fsx_reopen(struct fsx_file *f)
{
	if (close(f->fd))
		fsx_fatal("close", f);
	f->fd = open(f->path, O_RDWR);
	if (f->fd < 0)
		fsx_fatal("open", f);
}

/* An I/O size: mostly small and unaligned, sometimes up to 64 KiB. */
static size_t fsx_len(size_t maxsize)
{
	size_t len = fsx_rand() % 4 ? 1 + fsx_below(8192) : 1 + fsx_below(65536);

	return len > maxsize ? maxsize : len;
}

int main(int argc, char **argv)
{
	unsigned long ops = 10000, seed = 1, counts[6] = { 0 };
	size_t maxsize = 1 << 20, off, len;
	int nfiles = 4, c, i;
	struct fsx_file *f;

	while ((c = getopt(argc, argv, "n:s:f:m:q")) != -1) {
		switch (c) {
		case 'n': ops = strtoul(optarg, NULL, 0); break;
		case 's': seed = strtoul(optarg, NULL, 0); break;
		case 'f': nfiles = atoi(optarg); break;
		case 'm': maxsize = strtoul(optarg, NULL, 0); break;
		case 'q': quiet = 1; break;
		default: goto usage;
		}
	}
	if (optind != argc - 1 || nfiles < 1 || nfiles > MAX_FILES ||
	    maxsize < 4096)
		goto usage;
	rng = seed * 0x9E3779B97F4A7C15ULL + 1;
	buf = malloc(maxsize);
	if (!buf)
		return 2;
	for (i = 0; i < nfiles; i++) {
		f = &files[i];
		snprintf(f->path, sizeof(f->path), "%s/fsx.%d", argv[optind], i);
		f->model = calloc(1, maxsize);
		f->fd = open(f->path, O_RDWR | O_CREAT | O_TRUNC, 0644);
		if (!f->model || f->fd < 0)
			fsx_fatal("create", f);
	}

	for (op_no = 1; op_no <= ops; op_no++) {
		f = &files[fsx_below(nfiles)];
		c = fsx_below(100);
		if (c < 40) {			/* read */
			if (!f->size)
				continue;
			off = fsx_below(f->size);
			len = fsx_len(maxsize);
			if (len > f->size - off)
				len = f->size - off;
			fsx_read(f, off, len);
			counts[0]++;
		} else if (c < 85) {		/* write, maybe past the end */
			len = fsx_len(maxsize);
			off = fsx_below(maxsize - len + 1);
			fsx_write(f, off, len);
			counts[1]++;
		} else if (c < 92) {		/* truncate, shorter or longer */
			fsx_truncate(f, fsx_below(maxsize + 1));
			counts[2]++;
		} else if (c < 97) {
			if (fsync(f->fd))
				fsx_fatal("fsync", f);
			counts[3]++;
		} else {
			fsx_reopen(f);
			counts[4]++;
		}
	}

	/* Everything once more, whole, after a reopen. */
	for (i = 0; i < nfiles; i++) {
		f = &files[i];
		fsx_reopen(f);
		if (lseek(f->fd, 0, SEEK_END) != (off_t)f->size) {
			fprintf(stderr, "fsx: %s: size %lld, expected %zu\n",
				f->path, (long long)lseek(f->fd, 0, SEEK_END),
				f->size);
			return 1;
		}
		if (f->size)
			fsx_read(f, 0, f->size);
		if (fsync(f->fd) || close(f->fd))
			fsx_fatal("close", f);
		counts[5]++;
	}
	if (!quiet)
		printf("fsx: seed %lu: %lu ops, %lu reads, %lu writes, %lu truncates, %lu fsyncs, %lu reopens, %lu files verified\n",
		       seed, ops, counts[0], counts[1], counts[2], counts[3],
		       counts[4], counts[5]);
	return 0;
usage:
	fprintf(stderr, "usage: fsx [-n ops] [-s seed] [-f files(1..%d)] [-m maxsize] [-q] dir\n",
		MAX_FILES);
	return 2;
}
