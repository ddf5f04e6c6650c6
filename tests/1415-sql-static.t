#!/bin/sh
# SQL is never built from input, and lives in the engines alone: a reading
# of lib/*.c, lib/*.h and bin/*.c.  The engines are lib/db.c (SQLite, and
# its own SQL: the schema, its indexes, the pragmas), lib/pg.c
# (PostgreSQL, and its own: the schema, the write lock) and lib/sql.c
# (every other statement, named in lib/store.h, and the two builders).
#
# 1. No printf-style SQL builder of SQLite's (sqlite3_mprintf and kin,
#    sqlite3_str_*) is used anywhere.
# 2. Every SQL text handed to an engine (sqlite3_prepare*, sqlite3_exec,
#    PQprepare, PQexec, PQsendQuery, case_prepare, case_prepare_once, case_codes_load,
#    the engines' exec and pg.c's query1) is fixed, and the engine's: in
#    db.c, pg.c or sql.c a string literal, a choice between literals, or a file-scope
#    const array of literals (and of macros that are literals, such as
#    the states' names ST_... of store.h); from any file the name of such
#    an array of sql.c's (q_..., or one of an array of them), a parameter
#    every caller fills with fixed SQL (followed up the calls), or the
#    result of one of the two builders in 3.  A literal in another file
#    is not.
# 3. The only SQL assembled at run time is sql.c's case_filter_sql(),
#    whose every piece is a literal or one of sql.c's literal arrays
#    (the lifecycle's fragments, the unit subtree) written with fputs,
#    and sql.c's case_query_sql(), whose two fprintf formats put together
#    only the column expressions, FROM clauses and orders of its static
#    tables (all literals) and case_filter_sql()'s WHERE clause.  Values
#    reach SQL only as bound parameters (:name).
# 4. The printf formats that contain SQL keywords are exactly
#    case_query_sql()'s FROM/WHERE/ORDER BY, db.c's "PRAGMA
#    user_version = %d" and pg.c's INSERT of the schema's version, each
#    given a compile-time constant, pg.c's cursor's FETCH, and pg.c's
#    COPY of a load, made from its INSERT's own table and columns.
# 5. Only db.c sees SQLite, only pg.c sees libpq, and only the engines
#    (db.c, pg.c, sql.c) hold SQL text: no
#    other string literal (adjacent ones joined) has an SQL keyword in
#    upper case or a column of a table alias (c.id); messages and
#    comments are not SQL.
. "$(dirname "$0")/lib.sh"
plan 14

cat >"$tmp/sql.pl" <<'EOF'
use strict;
use warnings;
my $test = shift;
# %src: the C files; %hdr: the headers, read for their macros (and text).
my (%src, %hdr);
for my $f (@ARGV) {
	open my $fh, '<', $f or die "$f: $!";
	local $/;
	my $s = <$fh>;
	# Comments out, string literals kept (a "/*" inside one is rare).
	$s =~ s{/\*.*?\*/}{ }gs;
	$s =~ s{//[^\n]*}{}g;
	if ($f =~ /\.h$/) { $hdr{$f} = $s; } else { $src{$f} = $s; }
}
my $lit = qr/"(?:[^"\\]|\\.)*"/s;
my $lits = qr/(?:\s*$lit)+\s*/s;
# The engines: SQLite's file (db.c), PostgreSQL's (pg.c) and the SQL's
# (sql.c).
my $engine = qr{(?:^|/)lib/(?:db|pg|sql)\.c$};
my ($sqlc) = grep { m{(?:^|/)lib/sql\.c$} } keys %src;
die "no lib/sql.c\n" unless defined $sqlc;

# The text of the balanced (...) starting at $pos (just after "(").
sub args {
	my ($s, $pos) = @_;
	my ($depth, $cur, @a) = (1, '');
	while ($pos < length $s) {
		my $c = substr($s, $pos, 1);
		if ($c eq '"') {
			substr($s, $pos) =~ /^($lit)/s;
			$cur .= $1; $pos += length $1; next;
		}
		if ($c eq "'") {
			substr($s, $pos) =~ /^('(?:[^'\\]|\\.)*')/s;
			$cur .= $1; $pos += length $1; next;
		}
		$depth++ if $c eq '(' || $c eq '{' || $c eq '[';
		$depth-- if $c eq ')' || $c eq '}' || $c eq ']';
		last if $depth == 0;
		if ($c eq ',' && $depth == 1) { push @a, $cur; $cur = ''; }
		else { $cur .= $c; }
		$pos++;
	}
	push @a, $cur;
	s/^\s+|\s+$//g for @a;
	return @a;
}

# Every call of NAME in every file: [file, enclosing function, args].
sub calls {
	my ($name) = @_;
	my @r;
	for my $f (sort keys %src) {
		my $s = $src{$f};
		while ($s =~ /(?<![\w.>])\Q$name\E\s*\(/g) {
			my $at = pos $s;
			my $before = substr($s, 0, $at);
			# A definition (name at the start of a line) is no call,
			# nor is a macro's (pg.c's PQexec for its pointer).
			next if $before =~ /\n\Q$name\E\s*\($/;
			next if $before =~ /\n[ \t]*#[^\n]*$/;
			my ($fn) = $before =~ /.*\n(\w+)\([^;{]*\)\s*\{/s;
			push @r, [$f, $fn // '?', [args($s, $at)]];
		}
	}
	return @r;
}

# The parameter names of function FN in file F.
sub params {
	my ($f, $fn) = @_;
	return () unless $src{$f} =~ /\n\Q$fn\E\(([^)]*)\)\s*\{/;
	return map { /(\w+)\s*(?:\[\s*\])?$/ ? $1 : '' } split /,/, $1;
}

# Macros that stand for literals only, by file: #define NAME "..." ...,
# or a chain of literals and such macros.  The headers' (store.h's
# states' names) are every file's, as every file includes case.h.
my %macro;
sub is_macro {
	my ($f, $name) = @_;
	return $macro{$f}{$name} || $macro{''}{$name};
}
for my $f ('', keys %src) {
	my $s = $f eq '' ? join("\n", '', map { $hdr{$_} } sort keys %hdr) :
	    $src{$f};
	my $again = 1;
	while ($again) {
		$again = 0;
		while ($s =~ /#define\s+(\w+)\s+((?:[^\n\\]|\\\n)+)\n/g) {
			my ($name, $body) = ($1, $2);
			next if $macro{$f}{$name};
			$body =~ s/\\\n/ /g;
			$body =~ s/$lit//g;
			$body =~ s/\b(\w+)\b/is_macro($f, $1) ? '' : $1/ge;
			next unless $body =~ /^\s*$/;
			$macro{$f}{$name} = $again = 1;
		}
	}
}

# Is the file-scope array NAME in F (const char NAME[], or const char
# *const NAME[]) initialised with literals only (and macros that are
# literals)?
sub literal_array {
	my ($f, $name) = @_;
	return 0 unless $src{$f} =~ /\n(?:static\s+)?const\s+char\s*
	    (?:\*\s*(?:const\s+)?)?\Q$name\E\s*\[\s*\]\s*=\s*
	    ((?:$lit|[^;"])*);/sx;
	my $init = $1;
	$init =~ s/$lit//g;
	$init =~ s/\b(\w+)\b/is_macro($f, $1) ? '' : $1/ge;
	return $init =~ /^[\s{},()]*$/;	# (a "b" "c") too
}

# Is NAME one of sql.c's statements, q_..., an array of literals?
sub named_sql {
	my ($name) = @_;
	return $name =~ /^q_\w+$/ && literal_array($sqlc, $name);
}

my @bad;
# ok_sql F FN EXPR DEPTH: is EXPR, used in function FN of file F, SQL
# whose every value is fixed, and the engine's?
sub ok_sql {
	my ($f, $fn, $e, $depth) = @_;
	my $own = $f =~ $engine;	# literals are the engine's alone
	return $own if $e =~ /^$lits$/;
	return $own if $e =~ /^(?:[^"?]|$lit)*\?$lits:$lits$/;	# c ? "A" : "B"
	my ($name) = $e =~ /^(\w+)(?:\s*\[\s*\w+\s*\])?$/ or return 0;
	return 1 if $own && literal_array($f, $name);
	# A statement of sql.c by name (q_cases_state, q_cases_codes[kind]).
	return 1 if named_sql($name);
	# A local assigned only from a builder of 3.
	my $builder = qr/(?:case_query_sql|case_filter_sql)\s*\(/;
	if ($src{$f} =~ /\b\Q$name\E\s*=\s*$builder/) {
		my @other = $src{$f} =~ /\b\Q$name\E\s*=\s*(?!=)([^;]*);/g;
		return !grep { !/^$builder/ } @other;
	}
	# A parameter: every caller must pass fixed SQL.
	my @p = params($f, $fn);
	my ($i) = grep { $p[$_] eq $name } 0 .. $#p;
	return 0 unless defined $i && $depth < 5;
	my @c = calls($fn);
	return 0 unless @c;
	for my $c (@c) {
		my $arg = $c->[2][$i] // '';
		next if ok_sql($c->[0], $c->[1], $arg, $depth + 1);
		push @bad, "$c->[0]: $c->[1]() passes to $fn(): $arg";
		return 0;
	}
	return 1;
}

if ($test eq 'mprintf') {
	for my $f (sort keys %src) {
		print "$f: $1\n" while $src{$f} =~
		    /\b(sqlite3_v?mprintf|sqlite3_v?snprintf|sqlite3_str_\w+)\b/g;
	}
} elsif ($test eq 'sinks') {
	my %argn = (sqlite3_prepare => 1, sqlite3_prepare_v2 => 1,
	    sqlite3_prepare_v3 => 1, sqlite3_exec => 1, case_prepare => 1,
	    case_prepare_once => 1, case_codes_load => 1, exec => 1,
	    PQprepare => 2, PQexec => 1, PQexecParams => 1, query1 => 1,
	    PQsendQuery => 1);
	# The engines' functions that take their SQL from store.c's
	# case_prepare() and case_prepare_once() (through the engine's
	# table), or from each other, whose callers are checked as calls
	# of those: function => the argument it passes on.
	my %through = (case_prepare => 'sql', case_prepare_once => 'sql',
	    case_codes_load => 'sql', exec => 'sql', query1 => 'sql',
	    sq_prepare => 'sql', sq_prepare_once => 'sql', make => 'text');
	my $n = 0;
	for my $sink (sort keys %argn) {
		for my $c (calls($sink)) {
			# The engines' exec() and query1() are theirs alone.
			next if $sink =~ /^(?:exec|query1)$/ &&
			    $c->[0] !~ $engine;
			$n++;
			my $e = $c->[2][$argn{$sink}] // '';
			next if defined $through{$c->[1]} &&
			    $e eq $through{$c->[1]};
			next if $e eq 'pragma' && $c->[0] =~ m{lib/db\.c$};
			# The version, checked in 4; and DEALLOCATE of a
			# statement named by pg.c itself (c0, c1, ...).
			next if $e eq 'sql' && $c->[0] =~ m{lib/pg\.c$} &&
			    $c->[1] =~ /^(?:migrate|pg_finalize)$/;
			# A statement's cursor, DECLAREd over its own
			# text (from sql.c, checked as it was prepared)
			# by make(), which alone sets these (checked in 4),
			# or its COPY, made there too.
			next if $e =~ /^s->(?:declare|fetch|close|stream)$/ &&
			    $c->[0] =~ m{lib/pg\.c$};
			# A load's COPY into the table and columns of an
			# INSERT of sql.c's (checked as it was prepared),
			# made by plain_insert() from that text (checked
			# below) and kept by copy_buffer().
			next if $e eq 'b->sql' && $c->[0] =~ m{lib/pg\.c$} &&
			    $c->[1] eq 'flight_go';
			# A side connection joining the snapshot its own
			# server named (side(), checked in 4).
			next if $e eq 'sql' && $c->[0] =~ m{lib/pg\.c$} &&
			    $c->[1] eq 'side';
			push @bad, "$c->[0]: $c->[1](): $sink(..., $e)"
			    unless ok_sql($c->[0], $c->[1], $e, 0);
		}
	}
	# exec() and case_prepare() take their sql from their callers, which
	# were each checked above as calls of exec and case_prepare.
	print "$_\n" for @bad;
	print STDERR "# $n calls that hand SQL to an engine checked\n";
} elsif ($test eq 'filter') {
	# Defined in sql.c, and nowhere else.
	for my $f (grep { $_ ne $sqlc } sort keys %src) {
		print "$f: defines case_filter_sql\n" if
		    $src{$f} =~ /\ncase_filter_sql\(/;
	}
	my ($body) = $src{$sqlc} =~
	    /\ncase_filter_sql\([^)]*\)\s*\{(.*?)\n\}/s;
	print "no case_filter_sql in sql.c\n" unless defined $body;
	$body //= '';
	while ($body =~ /\b(\w*printf|fputs|fwrite|putc|strcat|strcpy)\s*\(/g) {
		my ($fn, @a) = ($1, args($body, pos $body));
		print "$fn(@a)\n" unless $fn eq 'fputs' && ($a[0] =~ /^$lits$/ ||
		    $a[0] =~ /^(\w+)$/ && literal_array($sqlc, $1));
	}
	my $n = () = $body =~ /\bfputs\s*\(/g;
	print STDERR "# case_filter_sql: $n fputs of literals\n";
} elsif ($test eq 'build') {
	# Defined in sql.c, and nowhere else.
	for my $f (grep { $_ ne $sqlc } sort keys %src) {
		print "$f: defines case_query_sql\n" if
		    $src{$f} =~ /\ncase_query_sql\(/;
	}
	my $s = $src{$sqlc};
	my ($body) = $s =~ /\ncase_query_sql\([^)]*\)\s*\{(.*?)\n\}/s;
	print "no case_query_sql in sql.c\n" unless defined $body;
	$body //= '';
	my %ok = ('"%s%s"' => 1, '" FROM %s WHERE %s ORDER BY %s"' => 1);
	while ($body =~ /\b(\w*printf|fputs|fwrite|putc|strcat|strcpy)\s*\(/g) {
		my ($fn, @a) = ($1, args($body, pos $body));
		if ($fn eq 'fputs') {
			print "fputs(@a)\n" unless $a[0] =~ /^$lits$/;
			next;
		}
		if ($fn ne 'fprintf' || !$ok{$a[1]}) {
			print "$fn(", join(', ', @a), ")\n";
			next;
		}
		for my $v (@a[2 .. $#a]) {
			print "fprintf argument: $v\n" unless $v =~
			    /^queries\[kind\]\.(from|order|order_open|exprs\[i\])$/ ||
			    $v eq 'where' || $v =~ /^[^"?]*\?$lits:$lits$/;
		}
	}
	# where is the filter's WHERE clause and nothing else.
	for my $w ($body =~ /\bwhere\s*=\s*(?!=)([^;]*);/g) {
		print "where = $w\n" unless $w =~ /^case_filter_sql\s*\(\s*f\s*\)$/;
	}
	# The tables: the column expression arrays (NAME_exprs) and
	# queries[] hold literals, NULL, the expression arrays' names, the
	# query kinds (CASE_Q_...) and macros that are themselves literals.
	my @tables = $s =~ /\nstatic const char \*const (\w+_exprs)\[\] = \{/g;
	my %exprs = map { $_ => 1 } @tables;
	for my $t (@tables, 'queries') {
		my ($init) = $s =~ /\b\Q$t\E\[\]\s*=\s*\{(.*?)\};/s or
		    (print("no table $t\n"), next);
		$init =~ s/$lit//g;
		for my $w ($init =~ /([A-Za-z_]\w*)/g) {
			print "table $t: $w\n" unless $w eq 'NULL' ||
			    $w =~ /^CASE_Q_[A-Z0-9_]+$/ || $exprs{$w} ||
			    is_macro($sqlc, $w);
		}
	}
	print STDERR "# sql.c: tables ", join(' ', @tables, 'queries'),
	    " hold only literals\n";
} elsif ($test eq 'formats') {
	my $kw = qr/\b(SELECT|INSERT|UPDATE|DELETE|REPLACE|PRAGMA|CREATE|DROP|
	    ALTER|ATTACH|WHERE|FROM|VALUES|BEGIN|COMMIT|ROLLBACK|AND|OR|
	    JOIN|SET|LIKE|GLOB|ORDER|GROUP|LIMIT)\b/x;
	for my $f (sort keys %src) {
		my $s = $src{$f};
		while ($s =~ /\b(v?[sfd]?printf|v?snprintf|v?asprintf|
		    v?sprintf|errx?|warnx?)\s*\(/gx) {
			my ($fn, @a) = ($1, args($s, pos $s));
			my ($fmt) = grep { defined && /^$lits$/ } @a[0 .. 2];
			next unless defined $fmt && $fmt =~ /%/ && $fmt =~ $kw;
			next if $fn =~ /^(err|warn)/;	# messages, not SQL
			(my $base = $f) =~ s{.*/}{};
			print "$base: $fmt\n";
		}
	}
} elsif ($test eq 'text') {
	# Outside the engine, a string literal (adjacent ones joined;
	# character constants are not literals) with an SQL keyword in
	# upper case, or a column of a table alias (c.id, cat.name, e.*).
	my $kw = qr/\b(?:SELECT|INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|
	    ALTER|PRAGMA|WITH|FROM|WHERE|JOIN|ORDER\s+BY|GROUP\s+BY|LIMIT|
	    VALUES|UNION|AND|OR|NOT|IN|CASE|WHEN)\b/x;
	my $col = qr/(?<![\w.\/%-])[a-z]{1,3}\.(?:[a-z_]{2,}|\*)(?![\w.\/-])/;
	my %all = (%src, %hdr);
	my $n = 0;
	for my $f (sort grep { !/$engine/ } keys %all) {
		(my $s = $all{$f}) =~ s/'(?:[^'\\]|\\.)'/''/g;
		while ($s =~ /((?:$lit\s*)+)/g) {
			my $t = join '', map { substr $_, 1, -1 } $1 =~ /($lit)/g;
			$n++;
			next unless $t =~ $kw || $t =~ $col;
			(my $base = $f) =~ s{.*/}{};
			print "$base: \"$t\"\n";
		}
	}
	print STDERR "# $n string literals outside db.c and sql.c, none SQL\n";
}
EOF

sql() {
	perl "$tmp/sql.pl" "$@" "$top"/lib/*.c "$top"/lib/*.h "$top"/bin/*.c \
	    2>>"$tmp/notes"
}
check_same 'no sqlite3_mprintf, sqlite3_snprintf or sqlite3_str_*' \
    "$(sql mprintf)" ''
check_same 'every SQL text given to an engine is fixed, and the engine'"'"'s' \
    "$(sql sinks)" ''
check_same 'case_filter_sql writes only literals' "$(sql filter)" ''
check_same 'case_query_sql joins only its literal tables and the filter' \
    "$(sql build)" ''
check_same 'the printf formats that hold SQL keywords are these five' \
    "$(sql formats | sort -u)" \
    'db.c: "PRAGMA user_version = %d"
pg.c: "COPY %.*s FROM STDIN"
pg.c: "FETCH %d FROM %s_cur"
pg.c: "INSERT INTO casekit_schema VALUES (%d)"
pg.c: "SET TRANSACTION SNAPSHOT '"'"'%s'"'"'"
sql.c: " FROM %s WHERE %s ORDER BY %s"'
check_same 'and the schemas'"'"' two are given a constant' \
    "$(grep -c 'PRAGMA user_version = %d",[[:space:]]*$' "$top/lib/db.c")|$(
    grep -A1 'PRAGMA user_version = %d' "$top/lib/db.c" | grep -c \
    '^[[:space:]]*SCHEMA_VERSION);')|$(
    grep -A1 'INSERT INTO casekit_schema VALUES (%d)",[[:space:]]*$' \
    "$top/lib/pg.c" | grep -c '^[[:space:]]*PG_SCHEMA_VERSION);')" '1|1|1'
# The engine behind the store: only db.c includes sqlite3.h or calls
# SQLite; the rest of lib/ and the programs hold opaque handles.
check_same 'SQLite is seen by lib/db.c alone' \
    "$(cd "$top" && grep -l 'sqlite3[_.]\|SQLITE_\|sqlite3 \*' lib/*.c lib/*.h \
    bin/*.c | grep -vx lib/db.c)" ''
check_same 'libpq is seen by lib/pg.c alone' \
    "$(cd "$top" && grep -l 'libpq-fe\.h\|PG[a-z]*[A-Z]\|\bPQ[a-z]' lib/*.c \
    lib/*.h bin/*.c | grep -vx lib/pg.c)" ''
# pg.c drops a unary + before a name (it only steers SQLite's planner):
# every + before a name in sql.c is one of these, after a keyword, an
# opening parenthesis or as an ORDER BY term, never an addition (a +b
# would lose its +).
check_same 'every + before a name in sql.c is unary, for pg.c to drop' \
    "$(grep -o '[^ ]* *+[a-z][a-z.]*' "$top/lib/sql.c" | sort | uniq -c |
    awk '{ $1 = $1; print }')" '1 (+c.unit
1 AND +c.category
2 AND +c.closed
2 AND +c.reported
2 AND +c.unit'
# A cursor's three statements are made in pg.c's make() alone, from the
# statement's own name and text and a constant.
check_same "pg.c's cursors: DECLARE, FETCH and CLOSE of make()'s own" \
    "$(grep -n 's->\(declare\|fetch\|close\)' "$top/lib/pg.c" |
    grep -c 'asprintf(&s->')|$(grep -c '^[[:space:]]*"DECLARE %s_cur NO SCROLL CURSOR FOR %s", s->pname, text)' \
    "$top/lib/pg.c")|$(grep -c '^[[:space:]]*asprintf(&s->fetch, "FETCH %d FROM %s_cur", FETCH_ROWS,$' \
    "$top/lib/pg.c")|$(grep -c 's->\(declare\|fetch\|close\) *=[^=]' \
    "$top/lib/pg.c")" '3|1|1|0'
# A load's COPY is made in pg.c's plain_insert() alone, from the
# prepared INSERT's own text (its table and columns), and kept as is.
check_same "pg.c's COPY: plain_insert()'s, of its INSERT's own text" \
    "$(grep 's->copy *=[^=]\|b->sql *=[^=]' "$top/lib/pg.c" |
    grep -vc '= NULL;$')|$(
    grep -c '^[[:space:]]*if (asprintf(&s->copy, "COPY %.\*s FROM STDIN", (int)(end - t), t) ==$' \
    "$top/lib/pg.c")|$(grep -c '^[[:space:]]*b->sql = case_strdup(s->copy);$' \
    "$top/lib/pg.c")|$(grep -c '&s->copy\|&b->sql' "$top/lib/pg.c")" '1|1|1|1'
# The flight (copy_launch()) sends the same COPY: each table's text
# copied as it is, and PQsendQuery() sends nothing else.
check_same "pg.c's flight: the COPY of the table's own text" \
    "$(grep -c '\.sql *=[^=]' "$top/lib/pg.c")|$(
    grep -c '^[[:space:]]*f->t\[i\]\.sql = case_strdup(f->t\[i\]\.sql);$' \
    "$top/lib/pg.c")|$(grep -c 'PQsendQuery(' "$top/lib/pg.c")|$(
    grep -c '^[[:space:]]*if (PQsendQuery(d->c, b->sql) != 1)$' "$top/lib/pg.c")" \
    '1|1|1|1'
# A stream's COPY is made there too, over the statement's own text (in
# binary or not, by a choice between literals); one with parameters in
# stream_bind(), from the text kept by make() (s->stext, strdup'ed once),
# each $n replaced only by the number pg_bind_int() wrote with %lld, in
# parentheses, and only if every value is one (else a cursor reads it); a
# side connection joins a snapshot by the name its server gave it,
# checked to be hex digits and dashes first.
check_same "pg.c's streams: the COPY of make()'s own, a snapshot checked" \
    "$(grep -A1 'asprintf(&s->stream, "COPY (%s) TO STDOUT%s", text,$' \
    "$top/lib/pg.c" |
    grep -c '^[[:space:]]*s->bin ? " (FORMAT binary)" : "") == -1)$')|$(
    grep 's->stream *=[^=]' "$top/lib/pg.c" | grep -vc '= NULL;$')|$(
    grep -c '^[[:space:]]*s->stream = o = case_malloc(n);$' "$top/lib/pg.c")|$(
    grep -c 's->stext *=[^=]' "$top/lib/pg.c")|$(
    grep -c '^[[:space:]]*if ((s->stext = strdup(text)) == NULL)$' "$top/lib/pg.c")|$(
    grep -c 'snprintf(s->num\[' "$top/lib/pg.c")|$(
    grep -c '^[[:space:]]*snprintf(s->num\[i\], sizeof s->num\[i\], "%lld", v);$' \
    "$top/lib/pg.c")|$(grep -c '^[[:space:]]*if (s->val\[i\] != s->num\[i\])$' \
    "$top/lib/pg.c")|$(sed -n '/^stream_bind(/,/^}/p' "$top/lib/pg.c" |
    grep -c 'o = \|stpcpy\|strcpy\|sprintf\|\*o++ = ')|$(
    sed -n '/^stream_bind(/,/^}/p' "$top/lib/pg.c" |
    grep -c '^[[:space:]]*o += sprintf(o, "(%s)", s->num\[i - 1\]);$')|$(
    grep -c 'strspn(d->snap, "0123456789ABCDEF-") != strlen(d->snap))' \
    "$top/lib/pg.c")|$(grep -A1 '"SET TRANSACTION SNAPSHOT' \
    "$top/lib/pg.c" | grep -c '^[[:space:]]*d->snap);')" '1|1|1|1|1|1|1|1|5|1|1|1'
# And SQL is in the engines' files: the rest name statements.
check_same 'SQL text is in lib/db.c, lib/pg.c and lib/sql.c alone' \
    "$(sql text)" ''
cat "$tmp/notes"
done_testing
