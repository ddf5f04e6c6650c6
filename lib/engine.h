/*
 * engine.h - what an engine gives store.c: the calls behind case.h's
 * store functions, one table per engine.  Only store.c and the engines
 * (db.c for SQLite, pg.c for PostgreSQL) include it.
 *
 * Every handle an engine hands out begins with its struct case_db or
 * struct case_stmt, which names the engine, so that a program may hold
 * handles of both at once (moving an office from one to the other).
 */
#ifndef CASE_ENGINE_H
#define CASE_ENGINE_H

struct case_engine {
	const char *name;
	struct case_db *(*open)(const char *, int);
	void	 (*close)(struct case_db *);
	void	 (*begin)(struct case_db *);
	void	 (*commit)(struct case_db *);	/* the chain is sealed */
	void	 (*rollback)(struct case_db *);
	void	 (*fatal)(struct case_db *, const char *);	/* exits */
	struct case_stmt *(*prepare)(struct case_db *, const char *);
	struct case_stmt *(*prepare_once)(struct case_db *, const char *);
	void	 (*finalize)(struct case_stmt *);
	int	 (*step)(struct case_stmt *);
	void	 (*reset)(struct case_stmt *);
	void	 (*bind_text)(struct case_stmt *, const char *, const char *);
	void	 (*bind_int)(struct case_stmt *, const char *, long long);
	void	 (*bind_blob)(struct case_stmt *, const char *, const void *,
		    size_t);
	int	 (*col_type)(struct case_stmt *, int);
	const char *(*col_text)(struct case_stmt *, int);
	long long (*col_int)(struct case_stmt *, int);
	double	 (*col_double)(struct case_stmt *, int);
	const void *(*col_bytes)(struct case_stmt *, int, int *);
	const char *(*col_name)(struct case_stmt *, int);
	int	 (*col_count)(struct case_stmt *);
	int	 (*indexes_suspend)(struct case_db *);
	void	 (*indexes_restore)(struct case_db *);
	struct case_db *(*reader)(struct case_db *);	/* NULL: none */
};

struct case_db {
	const struct case_engine *e;
};

struct case_stmt {
	const struct case_engine *e;
};

extern const struct case_engine case_sqlite, case_pg;

char	*case_pg_name(const char *);
void	 case_pg_lock(const char *, const char *, int);



#endif
