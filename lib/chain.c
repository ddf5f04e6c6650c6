/* chain.c - the hash chain over the event history: sealing and checking */
#include <err.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"

/* SHA-256 (FIPS 180-4), enough of it for the chain. */
struct sha256 {
	uint32_t h[8];
	uint64_t len;
	unsigned char buf[64];
	size_t n;
};

static const uint32_t K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

/* n blocks of 64 bytes, in plain C. */
static void
blocks_c(uint32_t *hs, const unsigned char *p, size_t n)
{
	uint32_t w[64], a, b, c, d, e, f, g, h, t1, t2;
	int i;

	for (; n > 0; n--, p += 64) {
		for (i = 0; i < 16; i++)
			w[i] = (uint32_t)p[4 * i] << 24 |
			    (uint32_t)p[4 * i + 1] << 16 |
			    (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
		for (; i < 64; i++)
			w[i] = w[i - 16] + (ROR(w[i - 15], 7) ^
			    ROR(w[i - 15], 18) ^ w[i - 15] >> 3) + w[i - 7] +
			    (ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^
			    w[i - 2] >> 10);
		a = hs[0], b = hs[1], c = hs[2], d = hs[3];
		e = hs[4], f = hs[5], g = hs[6], h = hs[7];
		for (i = 0; i < 64; i++) {
			t1 = h + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) +
			    ((e & f) ^ (~e & g)) + K[i] + w[i];
			t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) +
			    ((a & b) ^ (a & c) ^ (b & c));
			h = g, g = f, f = e, e = d + t1;
			d = c, c = b, b = a, a = t1 + t2;
		}
		hs[0] += a, hs[1] += b, hs[2] += c, hs[3] += d;
		hs[4] += e, hs[5] += f, hs[6] += g, hs[7] += h;
	}
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <cpuid.h>
#include <immintrin.h>

/*
 * The same blocks with the x86 SHA extensions, where the processor has
 * them: a load hashes every event it adds (a million cases' three
 * million), and in plain C that took as long as writing them.  The
 * state is kept in the instructions' order (ABEF, CDGH) between blocks.
 */
__attribute__((target("sha,ssse3,sse4.1")))
static void
blocks_ni(uint32_t *hs, const unsigned char *p, size_t n)
{
	const __m128i swap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL,
	    0x0405060700010203ULL);
	__m128i st0, st1, tmp, msg, w[4], save0, save1;
	int i;

	tmp = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&hs[0]),
	    0xb1);
	st1 = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&hs[4]),
	    0x1b);
	st0 = _mm_alignr_epi8(tmp, st1, 8);
	st1 = _mm_blend_epi16(st1, tmp, 0xf0);
	for (; n > 0; n--, p += 64) {
		save0 = st0, save1 = st1;
		for (i = 0; i < 16; i++) {
			if (i < 4)
				w[i] = _mm_shuffle_epi8(_mm_loadu_si128(
				    (const __m128i *)(p + 16 * i)), swap);
			else
				w[i & 3] = _mm_sha256msg2_epu32(_mm_add_epi32(
				    _mm_sha256msg1_epu32(w[i & 3],
				    w[(i + 1) & 3]), _mm_alignr_epi8(
				    w[(i + 3) & 3], w[(i + 2) & 3], 4)),
				    w[(i + 3) & 3]);
			msg = _mm_add_epi32(w[i & 3],
			    _mm_loadu_si128((const __m128i *)&K[4 * i]));
			st1 = _mm_sha256rnds2_epu32(st1, st0, msg);
			st0 = _mm_sha256rnds2_epu32(st0, st1,
			    _mm_shuffle_epi32(msg, 0x0e));
		}
		st0 = _mm_add_epi32(st0, save0);
		st1 = _mm_add_epi32(st1, save1);
	}
	tmp = _mm_shuffle_epi32(st0, 0x1b);
	st1 = _mm_shuffle_epi32(st1, 0xb1);
	_mm_storeu_si128((__m128i *)&hs[0], _mm_blend_epi16(tmp, st1, 0xf0));
	_mm_storeu_si128((__m128i *)&hs[4], _mm_alignr_epi8(st1, tmp, 8));
}

static void
blocks(uint32_t *hs, const unsigned char *p, size_t n)
{
	static int ni = -1;
	unsigned a, b, c, d;

	if (ni == -1) {
		ni = __get_cpuid(1, &a, &b, &c, &d) && (c & bit_SSSE3) &&
		    (c & bit_SSE4_1) && __get_cpuid_count(7, 0, &a, &b, &c,
		    &d) && (b & bit_SHA);
		if (getenv("CASE_SHA_PLAIN") != NULL)
			ni = 0;
	}
	if (ni)
		blocks_ni(hs, p, n);
	else
		blocks_c(hs, p, n);
}
#else
#define blocks blocks_c
#endif

static void
sha_init(struct sha256 *s)
{
	static const uint32_t h0[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372,
	    0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };

	memcpy(s->h, h0, sizeof h0);
	s->len = 0;
	s->n = 0;
}

static void
sha_add(struct sha256 *s, const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t k;

	s->len += len;
	if (s->n > 0) {
		k = 64 - s->n < len ? 64 - s->n : len;
		memcpy(s->buf + s->n, p, k);
		s->n += k, p += k, len -= k;
		if (s->n < 64)
			return;
		blocks(s->h, s->buf, 1);
		s->n = 0;
	}
	if (len >= 64) {
		blocks(s->h, p, len / 64);
		p += len - len % 64;
		len %= 64;
	}
	memcpy(s->buf, p, len);
	s->n = len;
}

/* The digest as 64 lowercase hex digits and a NUL. */
static void
sha_hex(struct sha256 *s, char hex[65])
{
	uint64_t bits = s->len * 8;
	unsigned char pad[72] = { 0x80 };
	size_t padlen = (s->n < 56 ? 56 : 120) - s->n;
	static const char digits[] = "0123456789abcdef";
	unsigned b;
	int i;

	for (i = 0; i < 8; i++)
		pad[padlen + i] = (unsigned char)(bits >> (56 - 8 * i));
	sha_add(s, pad, padlen + 8);
	/* By hand, not by snprintf: a load hashes every event it adds. */
	for (i = 0; i < 32; i++) {
		b = (s->h[i / 4] >> (24 - 8 * (i % 4))) & 0xff;
		hex[2 * i] = digits[b >> 4];
		hex[2 * i + 1] = digits[b & 0xf];
	}
	hex[64] = '\0';
}

/* v in decimal at buf (room for 21 bytes), without a NUL; its length. */
static int
decimal(char *buf, long long v)
{
	char tmp[24];
	unsigned long long u = v < 0 ? -(unsigned long long)v :
	    (unsigned long long)v;
	int n = 0, len = 0;

	do
		tmp[n++] = '0' + u % 10;
	while ((u /= 10) > 0);
	if (v < 0)
		buf[len++] = '-';
	while (n > 0)
		buf[len++] = tmp[--n];
	return len;
}

/* SHA-256 of len bytes as hex, for what is kept only as a hash. */
void
case_sha256_hex(const void *data, size_t len, char hex[65])
{
	struct sha256 s;

	sha_init(&s);
	sha_add(&s, data, len);
	sha_hex(&s, hex);
}

/*
 * A walk over events: their columns' names (each with its NUL, as
 * hashed), read from the first row, and the room a link's bytes are put
 * together in, to be hashed at once rather than piece by piece.
 */
struct walk {
	int	 ncol;
	char	**name;
	size_t	*namelen;
	unsigned char *buf;
	size_t	 size;
};

static void
walk_free(struct walk *w)
{
	int i;

	for (i = 0; i < w->ncol && w->name != NULL; i++)
		free(w->name[i]);
	free(w->name);
	free(w->namelen);
	free(w->buf);
}

/* Room for need more bytes after the first len. */
static unsigned char *
room(struct walk *w, size_t len, size_t need)
{
	if (len + need > w->size) {
		w->size = (len + need) * 2;
		w->buf = case_reallocarray(w->buf, w->size, 1);
	}
	return w->buf + len;
}

/*
 * One link: SHA-256 over a tag, the previous link's hash (nothing for the
 * first event) and each column of the event that is not NULL, in the
 * table's order, as its name, a NUL, its type (i, r, t, b), its length
 * in bytes, a colon and its bytes (an integer in decimal, a real with 17
 * significant digits).  A column added to events later is NULL in the
 * events written before it, so their links still hold.  The first
 * w->ncol columns of st's current row are the event's.
 */
static void
link_hash(struct walk *w, struct case_stmt *st, const char *prev,
    char hex[65])
{
	static const char tag[] = "casekit event chain 1\n";
	struct sha256 s;
	unsigned char *p;
	const void *v;
	size_t len, plen = strlen(prev);
	int i, type, vlen;

	if (w->name == NULL) {
		w->name = case_reallocarray(NULL, w->ncol, sizeof *w->name);
		w->namelen = case_reallocarray(NULL, w->ncol,
		    sizeof *w->namelen);
		for (i = 0; i < w->ncol; i++) {
			w->name[i] = case_strdup(case_col_name(st, i));
			w->namelen[i] = strlen(w->name[i]) + 1;
		}
	}
	p = room(w, 0, sizeof tag - 1 + plen);
	memcpy(p, tag, sizeof tag - 1);
	memcpy(p + sizeof tag - 1, prev, plen);
	len = sizeof tag - 1 + plen;
	for (i = 0; i < w->ncol; i++) {
		if ((type = case_col_type(st, i)) == 'n')
			continue;
		/* The name, the head (at most 13 bytes), a number's 64. */
		p = room(w, len, w->namelen[i] + 80);
		memcpy(p, w->name[i], w->namelen[i]);
		p += w->namelen[i];
		*p++ = type;
		if (type == 'i' || type == 'r') {
			char num[64];

			if (type == 'i')
				vlen = decimal(num, case_col_int(st, i));
			else
				vlen = snprintf(num, sizeof num, "%.17g",
				    case_col_double(st, i));
			p += decimal((char *)p, vlen);
			*p++ = ':';
			memcpy(p, num, vlen);
			len = p + vlen - w->buf;
			continue;
		}
		v = case_col_bytes(st, i, &vlen);
		p += decimal((char *)p, vlen);
		*p++ = ':';
		len = p - w->buf;
		if (vlen > 0) {
			memcpy(room(w, len, vlen), v, vlen);
			len += vlen;
		}
	}
	sha_init(&s);
	sha_add(&s, w->buf, len);
	sha_hex(&s, hex);
}

/*
 * Called by case_commit() inside the write transaction: every event
 * after the last sealed one, in ID order, gets its link.  Events written
 * by hand (the sqlite3 shell) are sealed by the next casekit write.
 */
void
case_chain_seal(struct case_db *db)
{
	struct case_stmt *last, *ev, *ins;
	struct walk w = { 0 };
	char prev[65] = "", hex[65];
	long long after = 0;

	last = case_prepare_once(db, q_chain_last);
	if (case_step(last) == CASE_ROW) {
		after = case_col_int(last, 0);
		snprintf(prev, sizeof prev, "%s", case_col_text(last, 1));
	}
	case_finalize(last);
	ev = case_prepare_once(db, q_chain_unsealed);
	ins = case_prepare_once(db, q_chain_link);
	case_bind_int(ev, ":after", after);
	w.ncol = case_col_count(ev);
	while (case_step(ev) == CASE_ROW) {
		link_hash(&w, ev, prev, hex);
		case_bind_int(ins, ":id", case_col_int(ev, 0));
		case_bind_text(ins, ":hash", hex);
		case_step(ins);
		case_reset(ins);
		memcpy(prev, hex, sizeof prev);
	}
	case_finalize(ev);
	case_finalize(ins);
	walk_free(&w);
}

/*
 * case-stats --verify: walks the events in ID order, recomputes each
 * link from the event and the link before it, and names the first that
 * does not hold: an event changed, removed or slipped in, or written
 * since the last casekit write and not sealed.  Prints the count and
 * the last link's hash (kept elsewhere, it shows later that nothing
 * before it was rewritten) and returns 0; or says what broke on
 * standard error and returns 1.
 */
int
case_chain_verify(struct case_db *db, FILE *out)
{
	struct case_stmt *st, *orphan;
	struct walk w = { 0 };
	char prev[65] = "", hex[65];
	const char *stored;
	long long id, n = 0;
	int ncol, rc = CASE_EXIT_OK;

	orphan = case_prepare_once(db, q_chain_orphan);
	if (case_step(orphan) == CASE_ROW) {
		warnx(_("history: event %lld is gone: the chain has its "
		    "link, the history not"), (long long)case_col_int(
		    orphan, 0));
		case_finalize(orphan);
		return CASE_EXIT_REJECT;
	}
	case_finalize(orphan);
	st = case_prepare_once(db, q_chain_walk);
	ncol = w.ncol = case_col_count(st) - 1;
	while (case_step(st) == CASE_ROW) {
		id = case_col_int(st, 0);
		stored = case_col_text(st, ncol);
		link_hash(&w, st, prev, hex);
		if (stored == NULL || strcmp(stored, hex) != 0) {
			warnx(_("history: event %lld (case %lld): %s"), id,
			    (long long)case_col_int(st, 1),
			    stored == NULL ? _("not in the chain: written "
			    "outside casekit, and not sealed by a casekit "
			    "write since") : _("does not match its link: it, "
			    "or the event before it, was changed, removed "
			    "or put in"));
			rc = CASE_EXIT_REJECT;
			break;
		}
		memcpy(prev, hex, sizeof prev);
		n++;
	}
	case_finalize(st);
	walk_free(&w);
	if (rc != CASE_EXIT_OK)
		return rc;
	/* TRANSLATORS: keep the hash (the last %s) last, after a space. */
	fprintf(out, _("%lld events, chain intact, last link %s\n"), n,
	    n > 0 ? prev : "-");
	return CASE_EXIT_OK;
}
