/* place.c - a case's position: its check, distances and the box around one */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"

/* The mean radius of the WGS-84 ellipsoid (IUGG), in metres. */
#define EARTH_R	6371008.8
#define RAD(d)	((d) * M_PI / 180)
#define DEG(r)	((r) * 180 / M_PI)

/*
 * A position as it is given (case-add --lat/--lon, a CSV record, an
 * Open311 request's lat and long): both or neither, each a number in
 * range, kept to seven decimals (a centimetre) as the nearest double to
 * them, a value both engines print alike, as case-copy compares.
 * CASE_POS_NONE or CASE_POS_SET (out holds the two as text), else the
 * error, *which saying which of the two (0 lat, 1 lon) it was.
 */
int
case_position(const char *lat, const char *lon, char out[2][32], int *which)
{
	const char *v[2] = { lat, lon };
	double d, lim[2] = { 90, 180 };
	char *end;
	int i;

	*which = lat == NULL ? 0 : 1;
	if (lat == NULL && lon == NULL)
		return CASE_POS_NONE;
	if (lat == NULL || lon == NULL)
		return CASE_POS_UNPAIRED;
	for (i = 0; i < 2; i++) {
		*which = i;
		errno = 0;
		d = strtod(v[i], &end);
		/* Not inf, nan or hex: a number as people write one. */
		if (end == v[i] || *end != '\0' || errno != 0 ||
		    strpbrk(v[i], "xXiInN") != NULL)
			return CASE_POS_NAN;
		if (!(d >= -lim[i] && d <= lim[i]))
			return CASE_POS_RANGE;
		snprintf(out[i], 32, "%.7f", (double)(long long)(d * 1e7 +
		    (d < 0 ? -0.5 : 0.5)) / 1e7);
	}
	return CASE_POS_SET;
}

/* Degrees as every output writes them: seven decimals, as stored. */
char *
case_fmt_degrees(double d, char *buf, size_t size)
{
	snprintf(buf, size, "%.7f", d);
	return buf;
}

/* The great-circle distance in metres (haversine, on a sphere). */
double
case_distance(double lat1, double lon1, double lat2, double lon2)
{
	double a, s1 = sin(RAD(lat2 - lat1) / 2), s2 = sin(RAD(lon2 - lon1) / 2);

	a = s1 * s1 + cos(RAD(lat1)) * cos(RAD(lat2)) * s2 * s2;
	return 2 * EARTH_R * asin(sqrt(a < 1 ? a : 1));
}

/*
 * A distance as people write one: metres, or with a unit, m or km
 * ("200", "200m", "1.5km").  0, or -1 if it is not one.
 */
int
case_parse_distance(const char *s, double *m)
{
	char *end;
	double d;

	errno = 0;
	d = strtod(s, &end);
	if (end == s || errno != 0 || strpbrk(s, "xXiInN") != NULL ||
	    !(d >= 0))
		return -1;
	if (strcmp(end, "km") == 0)
		d *= 1000;
	else if (*end != '\0' && strcmp(end, "m") != 0)
		return -1;
	*m = d;
	return 0;
}

/*
 * The box of latitudes and longitudes that holds every point within m
 * metres of (lat, lon), for the SQL to narrow the cases down before the
 * distance is computed here.  A latitude's degrees are the same length
 * everywhere; a longitude's shrink with the cosine of the latitude, by
 * at most asin(sin(r) / cos(lat)) on a great circle.  Near a pole, or
 * across the antimeridian, every longitude may be near: b->lon is then
 * 0 and only latitudes narrow the search.
 */
void
case_near_box(double lat, double lon, double m, struct case_box *b)
{
	double r = m / EARTH_R, dlon;

	/* A little wider than exact, so that rounding never loses a case. */
	b->lat_lo = lat - DEG(r) - 1e-7;
	b->lat_hi = lat + DEG(r) + 1e-7;
	b->lon = 0;
	b->lon_lo = -180, b->lon_hi = 180;
	if (b->lat_lo >= -90 && b->lat_hi <= 90 && r < M_PI / 2) {
		dlon = DEG(asin(sin(r) / cos(RAD(lat)))) + 1e-7;
		if (lon - dlon >= -180 && lon + dlon <= 180) {
			b->lon = 1;
			b->lon_lo = lon - dlon;
			b->lon_hi = lon + dlon;
		}
	}
	/* As text, which either engine compares with a number column. */
	snprintf(b->text[0], sizeof b->text[0], "%.9f", b->lat_lo);
	snprintf(b->text[1], sizeof b->text[1], "%.9f", b->lat_hi);
	snprintf(b->text[2], sizeof b->text[2], "%.9f", b->lon_lo);
	snprintf(b->text[3], sizeof b->text[3], "%.9f", b->lon_hi);
}
