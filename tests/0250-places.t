#!/bin/sh
# Places (issue 15 item 3): a case's position, given by case-add --lat
# and --lon or an import's lat and long (or lon, 纬度, 经度) columns, both
# or neither and in range, kept to seven decimals as Open311's are;
# case-list --near LAT,LON --within DIST lists the cases within DIST,
# nearest first, with their distance in metres; case-add warns when an
# open case of the same category lies within CASE_NEAR metres.  The
# distances are computed here again, in awk, by the haversine formula.
. "$(dirname "$0")/lib.sh"
plan 61

cd "$tmp" || exit 2
init_demo
ncases() {
	sql 'SELECT count(*) FROM cases'
}
# dist LAT1 LON1 LAT2 LON2: metres between two points, rounded, on a
# sphere of radius 6371008.8 m.
dist() {
	awk -v a="$1" -v b="$2" -v c="$3" -v d="$4" 'BEGIN {
		r = 6371008.8; p = atan2(0, -1) / 180
		s1 = sin((c - a) * p / 2); s2 = sin((d - b) * p / 2)
		h = s1 * s1 + cos(a * p) * cos(c * p) * s2 * s2
		m = 2 * r * atan2(sqrt(h), sqrt(1 - h))
		printf "%d\n", m + 0.5 }'
}

# Refused positions: exit 2, a message naming the option, nothing written.
before=$(db_dump | cksum)
check_exit '--lat without --lon is refused' 2 \
    case-add --category hazard --title x --lat 31.23
check_same 'saying a position needs both' "$(cat err)" \
    'case-add: --lat without --lon: a position needs both'
check_exit '--lon without --lat is refused' 2 \
    case-add --category hazard --title x --lon 121.47
check_same 'likewise' "$(cat err)" \
    'case-add: --lon without --lat: a position needs both'
check_exit 'a latitude beyond 90 is refused' 2 \
    case-add --category hazard --title x --lat 90.5 --lon 121
check_same 'with the range' "$(cat err)" \
    'case-add: --lat: out of range -90 to 90 -- 90.5'
check_exit 'a longitude beyond -180 is refused' 2 \
    case-add --category hazard --title x --lat 31 --lon -180.01
check_same 'with its range' "$(cat err)" \
    'case-add: --lon: out of range -180 to 180 -- -180.01'
check_exit 'a latitude that is not a number is refused' 2 \
    case-add --category hazard --title x --lat 31N --lon 121
check_same 'as such' "$(cat err)" 'case-add: --lat: not a number -- 31N'
check_exit 'nan is not a number' 2 \
    case-add --category hazard --title x --lat 31 --lon nan
check_same 'nor taken as one' "$(cat err)" \
    'case-add: --lon: not a number -- nan'
check_same 'none of them wrote anything' "$(db_dump | cksum)" "$before"

# Five cases around one spot in Shanghai, and one far away.
B_LAT=31.2304 B_LON=121.4737
add() {	# category title lat lon
	CASE_NEAR=0 case-add -q --category "$1" --title "$2" --lat "$3" \
	    --lon "$4" --reported 2024-05-09T08:00
}
add hazard 原点 31.2304 121.4737		# 1
add hazard 北一百米 31.2314 121.4737		# 2: 0.001 deg north
add dispute 北五十米 31.23085 121.4737	# 3: another category
add hazard 东二百米 31.2304 121.4758		# 4: 0.0021 deg east
add hazard 远处 31.2404 121.4737		# 5: over a kilometre
case-add -q --category hazard --title 无位置 --reported 2024-05-09T08:00 # 6
check_same 'the six were added' "$(ncases)" 6
check_same 'seven decimals kept, the other case without' \
    "$(sql 'SELECT id, lat, lon FROM cases ORDER BY id' | tr '|' ' ' |
    awk '{ printf "%s %.7f %.7f\n", $1, $2, $3 }' | head -5)" \
    "1 31.2304000 121.4737000
2 31.2314000 121.4737000
3 31.2308500 121.4737000
4 31.2304000 121.4758000
5 31.2404000 121.4737000"
check_same 'rounded to seven decimals as Open311 rounds' \
    "$(CASE_NEAR=0 case-add --category law --title 舍入 --lat 31.230400049 \
    --lon -0.00000006 >/dev/null; sql 'SELECT lat, lon FROM cases
    WHERE id = 7' | tr '|' ' ' | awk '{ printf "%.9f %.9f\n", $1, $2 }')" \
    '31.230400000 -0.000000100'
check_grep 'case-show shows the position' \
    '^position  *31.2304000, 121.4737000$' "$(case-show 1 >show; echo show)"
check_same 'and none for a case without one' \
    "$(case-show 6 | grep -c '^position')" 0
check_same 'case-export carries lat and lon, last' \
    "$(case-export --status all | head -2 | tr -d '\r' | sed -n '1s/.*,ref,/ref,/p;2s/.*,\([^,]*,[^,]*\)$/\1/p')" \
    'ref,lat,lon
31.2304000,121.4737000'

# --near: nearest first, with the distance computed here too.
d2=$(dist $B_LAT $B_LON 31.2314 121.4737)
d3=$(dist $B_LAT $B_LON 31.23085 121.4737)
d4=$(dist $B_LAT $B_LON 31.2304 121.4758)
d5=$(dist $B_LAT $B_LON 31.2404 121.4737)
check_same '0.001 degrees of latitude are 111 m' "$d2" 111
check_exit 'case-list --near' 0 case-list --near 31.2304,121.4737
check_same 'the cases within 200 m by default, nearest first' \
    "$(cut -f1,6 out | tr '\t' ' ')" "1 0
3 $d3
2 $d2
4 $d4"
check_exit '--within 150m' 0 case-list --near 31.2304,121.4737 --within 150m
check_same 'leaves out the farther one' "$(cut -f1 out | paste -sd' ' -)" \
    '1 3 2'
check_exit '--within 1.5km' 0 case-list --near 31.2304,121.4737 --within 1.5km
check_same 'takes in the far one, last' "$(cut -f1,6 out | tail -1 |
    tr '\t' ' ')" "5 $d5"
check_same 'a plain number is metres' \
    "$(case-list --near 31.2304,121.4737 --within 60 | cut -f1 |
    paste -sd' ' -)" '1 3'
check_same 'it combines with --category' \
    "$(case-list --near 31.2304,121.4737 --category dispute | cut -f1,6 |
    tr '\t' ' ')" "3 $d3"
check_same 'from elsewhere, the order is another' \
    "$(case-list --near 31.2314,121.4737 --within 1km | cut -f1 |
    paste -sd' ' -)" '2 3 1 4'
check_exit 'nothing near is exit 1, like an empty list' 1 \
    case-list --near 0,0
check_same 'and prints nothing' "$(cat out)" ''
check_same 'CSV has the distance column' \
    "$(case-list --near 31.2304,121.4737 --within 60 --format csv |
    tr -d '\r')" \
    'id,status,unit,due,category,distance,title
1,reported,,2024-05-10T08:00:00+08:00,hazard,0,原点
3,reported,,2024-05-16T23:59:59+08:00,dispute,'"$d3"',北五十米'
check_same 'JSON as a number' \
    "$(case-list --near 31.2304,121.4737 --within 10 --format json)" \
    '{"id":1,"status":"reported","unit":null,"due":"2024-05-10T08:00:00+08:00","category":"hazard","distance":0,"title":"原点"}'
check_same 'ties in distance go by ID' \
    "$(CASE_NEAR=0 case-add -q --category hazard --title 同点 --lat 31.2304 \
    --lon 121.4737 >/dev/null; case-list --near 31.2304,121.4737 \
    --within 10 | cut -f1 | paste -sd' ' -)" '1 8'
check_exit '--near a bad place is refused' 2 case-list --near 31.2
check_same 'saying the form' "$(cat err)" \
    'case-list: --near: not LAT,LON -- 31.2'
check_exit '--near out of range is refused' 2 case-list --near 95,1
check_same 'saying which' "$(cat err)" \
    'case-list: --near: latitude: out of range -90 to 90 -- 95,1'
check_exit '--within not a distance is refused' 2 \
    case-list --near 31,121 --within 2miles
check_same 'saying what a distance is' "$(cat err)" \
    'case-list: --within: not a distance (metres, or with m or km) -- 2miles'
check_exit '--within without --near is refused' 2 case-list --within 5m
# Across the antimeridian and by a pole, every longitude is searched.
CASE_NEAR=0 case-add -q --category law --title 东 --lat -16.5 --lon 179.9999
CASE_NEAR=0 case-add -q --category law --title 极 --lat 89.9999 --lon 10
check_same 'a case across the antimeridian is found' \
    "$(case-list --near -16.5,-179.9999 --within 50 | cut -f1,6 |
    tr '\t' ' ')" "9 $(dist -16.5 -179.9999 -16.5 179.9999)"
check_same 'and one past the pole' \
    "$(case-list --near 89.9999,-170 --within 50 | cut -f1,6 |
    tr '\t' ' ')" "10 $(dist 89.9999 -170 89.9999 10)"

# The warning: an open case of the same category within CASE_NEAR.
check_exit 'a report 6 m from an open hazard is added' 0 \
    case-add --category hazard --title 又报 --lat 31.23405 --lon 121.4737 \
    --reported 2024-05-09T09:00
check_same 'warned of nothing: none lies within 50 m' "$(cat err)" ''
check_exit 'one beside case 1' 0 case-add --category hazard --title 又报 \
    --lat 31.23045 --lon 121.4737 --reported 2024-05-09T09:00
check_same 'is added' "$(cat out)" 12
check_same 'with a warning naming the nearest, and its distance' "$(cat err)" \
    "case-add: warning: open case 1 of category hazard is $(dist 31.2304 \
    121.4737 31.23045 121.4737) m away"
check_same 'CASE_NEAR=0 turns it off' "$(CASE_NEAR=0 case-add -q \
    --category hazard --title 再报 --lat 31.23045 --lon 121.4737 2>&1)" ''
check_same 'CASE_NEAR=5 is too near for it' "$(CASE_NEAR=5m case-add -q \
    --category hazard --title 再报 --lat 31.2305 --lon 121.4737 2>&1)" ''
check_same 'another category is not warned of' "$(case-add -q \
    --category law --title 别类 --lat 31.23085 --lon 121.4737 2>&1)" ''
case-close -q --outcome resolved 3
check_same 'nor a closed case' "$(case-add -q --category dispute \
    --title 已结 --lat 31.23085 --lon 121.4737 2>&1)" ''
check_exit 'a bad CASE_NEAR is refused' 2 env CASE_NEAR=far \
    case-add --category hazard --title x --lat 1 --lon 1

# The import: lat and long (Open311's), lon, and the Chinese headings.
exported() {	# the title and position of the cases after ID $1
	case-export --status all | tr -d '\r' |
	    awk -F, -v n="$1" 'NR > 1 && $1 > n { print $9, $(NF - 1), $NF }'
}
n0=$(ncases)
printf 'category,title,lat,long\nhazard,甲,31.5,121.5\nhazard,乙,,\n' >a.csv
check_exit 'an import with lat and long' 0 case-add -q --csv a.csv
check_same 'keeps the position, and none where both are empty' \
    "$(exported $n0)" '甲 31.5000000 121.5000000
乙  '
printf '类别代码,标题,纬度,经度\nhazard,丙,-33.8688,151.2093\n' >b.csv
printf 'category,title,lat,lon\nhazard,丁,1,2\n' >c.csv
check_same 'and 纬度 and 经度, and lat and lon' \
    "$(case-add -q --csv b.csv && case-add -q --csv c.csv &&
    exported $((n0 + 2)))" '丙 -33.8688000 151.2093000
丁 1.0000000 2.0000000'
n1=$(ncases)
printf 'category,title,lat,long\nhazard,a,31,121\nhazard,b,31,\nhazard,c,91,0\nhazard,d,x,0\n' >bad.csv
check_exit 'a file with bad positions is refused' 1 case-add --csv bad.csv
check_same 'each bad record named, nothing added' "$(cat err; ncases)" \
    "case-add: bad.csv:3: lat: without lon
case-add: bad.csv:4: lat: out of range -90 to 90 -- 91
case-add: bad.csv:5: lat: not a number -- x
case-add: bad.csv: 3 bad records; nothing added
$n1"

# Schema 8 indexes the positions (cases_place); a version-7 database,
# file or server, upgrades through case-init and lists the same.
before=$(case-list --near 31.2304,121.4737 --within 1km --status all)
if on_pg; then
	sql 'DROP INDEX cases_place; DROP TABLE roster; DROP TABLE assists;
	    UPDATE casekit_schema SET version = 7' \
	    >/dev/null
	check 'case-init upgrades a version-7 server database' case-init
	check_same 'to the current version (11), with the index' "$(sql "SELECT version FROM
	    casekit_schema; SELECT count(*) FROM pg_indexes
	    WHERE indexname = 'cases_place'")" '11
1'
else
	sql 'DROP INDEX cases_place; DROP TABLE roster; DROP TABLE assists; PRAGMA user_version = 7'
	check 'case-init upgrades a version-7 database' case-init
	check_same 'to the current version (11), with the index' "$(sql 'PRAGMA user_version;
	    SELECT count(*) FROM pragma_index_list('"'cases'"')
	    WHERE name = '"'cases_place'"'')" '11
1'
fi
check_same 'and --near finds the same' \
    "$(case-list --near 31.2304,121.4737 --within 1km --status all)" \
    "$before"
